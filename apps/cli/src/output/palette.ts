import { Injectable } from '@nestjs/common';
import { styleText } from 'node:util';
import { CliSettings } from '../settings/cli-settings';

export type Style = Parameters<typeof styleText>[0];

/** Colour for human output: only on a terminal, never with `--json`, `--no-color` or `NO_COLOR`. */
@Injectable()
export class Palette {
  constructor(private readonly settings: CliSettings) {}

  paint(style: Style, text: string): string {
    if (!this.settings.colorEnabled) return text;
    return styleText(style, text, { validateStream: false });
  }

  good(text: string): string {
    return this.paint('green', text);
  }

  bad(text: string): string {
    return this.paint('red', text);
  }

  warn(text: string): string {
    return this.paint('yellow', text);
  }

  dim(text: string): string {
    return this.paint('dim', text);
  }

  bold(text: string): string {
    return this.paint('bold', text);
  }
}
