import { Injectable } from '@nestjs/common';
import type { ApiError } from '@loadex/api';
import { AdminApiError, CliFailure, ConnectionFailure } from '../errors/cli-failure';
import { CliSettings } from '../settings/cli-settings';
import { describeNetworkFailure } from './network-failure';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface AdminRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Extra request headers, e.g. `accept: text/event-stream`. */
  headers?: Record<string, string>;
  /** Aborts the request (Ctrl-C); without one it times out after `ADMIN_REQUEST_TIMEOUT_MS`. */
  signal?: AbortSignal;
}

export interface AdminResponse<T> {
  status: number;
  body: T;
}

/** How long one admin call may take before the CLI gives up. */
export const ADMIN_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The transport to the admin API: base URL, bearer token, timeouts, and the translation of every
 * failure into one line an operator can act on (`cannot reach ... (connection refused)`, or the
 * API's own `{statusCode, message}`).
 */
@Injectable()
export class AdminHttp {
  constructor(private readonly settings: CliSettings) {}

  /** Sends a request and returns the raw response once its headers are in (used for the SSE stream). */
  async open(method: HttpMethod, path: string, request: AdminRequest = {}): Promise<Response> {
    const url = this.urlFor(path, request.query);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (this.settings.token) headers.authorization = `Bearer ${this.settings.token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: request.signal ?? AbortSignal.timeout(ADMIN_REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      const reason = describeNetworkFailure(err);
      throw new ConnectionFailure(`cannot reach ${this.settings.baseUrl} (${reason})`, reason);
    }
    if (!response.ok) throw await this.apiError(method, path, response);
    return response;
  }

  /** Sends a request and parses its JSON answer (an empty answer, e.g. 204, gives `undefined`). */
  async send<T>(method: HttpMethod, path: string, request: AdminRequest = {}): Promise<AdminResponse<T>> {
    const response = await this.open(method, path, request);
    const text = await this.readText(response);
    if (text.trim() === '') return { status: response.status, body: undefined as T };
    if (!isJson(response)) throw this.notTheAdminApi(method, path, response);
    try {
      return { status: response.status, body: JSON.parse(text) as T };
    } catch {
      throw this.notTheAdminApi(method, path, response);
    }
  }

  private urlFor(path: string, query: AdminRequest['query']): URL {
    const url = new URL(`${this.settings.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private async readText(response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (err) {
      const reason = describeNetworkFailure(err);
      throw new ConnectionFailure(`lost the connection to ${this.settings.baseUrl} (${reason})`, reason);
    }
  }

  private async apiError(method: HttpMethod, path: string, response: Response): Promise<CliFailure> {
    const text = await response.text().catch(() => '');
    if (isJson(response)) {
      try {
        const error = JSON.parse(text) as Partial<ApiError> & { message?: unknown };
        const message = Array.isArray(error.message) ? error.message.join('; ') : error.message;
        if (response.status === 404 && typeof message === 'string' && /^Cannot [A-Z]+ \//.test(message)) {
          // Nest's "no such route": the URL is some other server, or a balancer without the admin API
          return this.notTheAdminApi(method, path, response);
        }
        if (typeof message === 'string' && message !== '') return new AdminApiError(response.status, message);
      } catch {
        // not the API's JSON error: fall through to the generic message
      }
    }
    const detail = text.trim().split('\n')[0]?.slice(0, 200) || response.statusText;
    return new AdminApiError(response.status, `${method} ${path} failed: ${detail}`);
  }

  private notTheAdminApi(method: HttpMethod, path: string, response: Response): CliFailure {
    const answer = response.ok
      ? `did not answer with JSON (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'})`
      : `has no such route (HTTP ${response.status})`;
    return new CliFailure(
      `${method} ${path} on ${this.settings.baseUrl} ${answer}: is this a Loadex balancer with the admin API?`,
    );
  }
}

function isJson(response: Response): boolean {
  return /\bjson\b/i.test(response.headers.get('content-type') ?? '');
}
