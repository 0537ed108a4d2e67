import { Injectable } from '@nestjs/common';
import Table from 'cli-table3';
import { Palette } from './palette';

export type Cell = string | number;

export interface TableSpec {
  head: string[];
  rows: Cell[][];
  /** Columns to right-align (numbers). */
  alignRight?: number[];
}

/** Boxed tables (cli-table3) in the CLI's own colours: cli-table3's default red/grey styling is off. */
@Injectable()
export class TableRenderer {
  constructor(private readonly palette: Palette) {}

  render(spec: TableSpec): string {
    const right = new Set(spec.alignRight ?? []);
    const table = new Table({
      head: spec.head.map((h) => this.palette.bold(h)),
      style: { head: [], border: [], compact: true },
      colAligns: spec.head.map((_, i) => (right.has(i) ? 'right' : 'left')),
    });
    table.push(...spec.rows);
    return table.toString();
  }

  /** Two columns without a header: `key  value` lines, for `info`. */
  renderPairs(pairs: Array<[string, Cell]>): string {
    const table = new Table({ style: { head: [], border: [], compact: true } });
    table.push(...pairs.map(([key, value]) => ({ [this.palette.bold(key)]: value })));
    return table.toString();
  }
}
