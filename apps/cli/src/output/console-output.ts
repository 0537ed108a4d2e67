import { Injectable } from '@nestjs/common';
import { CliSettings } from '../settings/cli-settings';

/** The only writer of results: JSON with `--json`, human text otherwise, always to stdout. */
@Injectable()
export class ConsoleOutput {
  constructor(private readonly settings: CliSettings) {}

  /** With `--json` prints `value` as JSON; otherwise the text `human()` renders. */
  result(value: unknown, human: () => string): void {
    if (this.settings.json) this.json(value);
    else this.line(human());
  }

  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON value per line (`watch --json`). */
  jsonLine(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  line(text = ''): void {
    process.stdout.write(`${text}\n`);
  }
}
