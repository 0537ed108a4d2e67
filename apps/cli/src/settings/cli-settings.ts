import { Injectable } from '@nestjs/common';

/** The global options as commander parsed them (the root command's `opts()`). */
export interface GlobalOptionValues {
  url: string;
  /** The original's `-u/--admin-url` spelling of `--url`; wins when given. */
  adminUrl?: string;
  token?: string;
  json?: boolean;
  /** false with `--no-color`. */
  color?: boolean;
}

export const DEFAULT_BALANCER_URL = 'http://localhost:8080';

/**
 * The global options of this run, resolved once before the command's action (a `preAction` hook
 * loads them): which balancer, which token, and how to print.
 */
@Injectable()
export class CliSettings {
  private values: GlobalOptionValues = { url: DEFAULT_BALANCER_URL };

  load(values: GlobalOptionValues): void {
    this.values = values;
  }

  /** The balancer's base URL without a trailing slash, e.g. `http://localhost:8080`. */
  get baseUrl(): string {
    return this.values.adminUrl ?? this.values.url;
  }

  get token(): string | undefined {
    return this.values.token || undefined;
  }

  /** Machine-readable output: JSON on stdout, no colour, no banner, no progress bar. */
  get json(): boolean {
    return this.values.json === true;
  }

  /** Colour only on a terminal, never with `--json`, `--no-color` or `NO_COLOR`. */
  get colorEnabled(): boolean {
    if (this.json || this.values.color === false) return false;
    if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
    return process.stdout.isTTY === true;
  }

  /** Live output (progress bar, in-place tables) only for a person at a terminal. */
  get interactive(): boolean {
    return !this.json && process.stdout.isTTY === true;
  }
}
