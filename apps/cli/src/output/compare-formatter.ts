import { Injectable } from '@nestjs/common';
import type { CompareReport, CompareRow } from '../compare/compare-report';
import { Palette } from './palette';
import { type Cell, TableRenderer } from './table-renderer';
import { formatMillis } from './units';

/** The human table of `compare`: one row per algorithm, a column per backend, and its footnotes. */
@Injectable()
export class CompareFormatter {
  constructor(
    private readonly palette: Palette,
    private readonly tables: TableRenderer,
  ) {}

  render(report: CompareReport): string {
    const labels = backendLabels(report.setup.map((b) => b.url));
    const marked = report.setup.map((b, i) => (b.singledOut ? `${labels[i]} *` : labels[i]));
    const backendColumns = report.setup.map((_, i) => 5 + i);
    const table = this.tables.render({
      head: ['Algorithm', 'p50', 'p95', 'p99', 'Errors', ...marked, 'max/mean'],
      rows: report.rows.map((row) => this.row(report, row)),
      alignRight: [1, 2, 3, 4, ...backendColumns, 5 + report.setup.length],
    });
    return [table, ...this.footnotes(report)].join('\n');
  }

  private row(report: CompareReport, row: CompareRow): Cell[] {
    const requests = new Map(row.backends.map((b) => [b.url, b.requests]));
    const options = Object.entries(row.options)
      .filter(([key]) => key === 'key')
      .map(([key, value]) => ` ${key}=${String(value)}`)
      .join('');
    const name = `${row.algorithm}${options && this.palette.dim(options)}${row.interrupted ? this.palette.warn(' (interrupted)') : ''}`;
    return [
      name,
      formatMillis(row.latencyMs.p50),
      formatMillis(row.latencyMs.p95),
      formatMillis(row.latencyMs.p99),
      row.errors > 0 ? this.palette.bad(String(row.errors)) : 0,
      ...report.setup.map((b) => requests.get(b.url) ?? 0),
      row.maxLoad === null ? '–' : row.maxLoad.toFixed(2),
    ];
  }

  private footnotes(report: CompareReport): string[] {
    const bound = [
      report.count === null ? null : `${report.count} requests`,
      report.durationMs === null ? null : `at most ${report.durationMs / 1000} s`,
    ]
      .filter((part) => part !== null)
      .join(', ');
    const lines = [
      `Scenario ${this.palette.bold(report.scenario)}: ${report.description}${report.setup.some((b) => b.singledOut) ? '; * marks that backend' : ''}.`,
      `Per algorithm: ${bound} to ${report.target}, concurrency ${report.concurrency}; each request carries ${report.keyHeader} (hash runs with key=header:${report.keyHeader}).`,
      "Latency: the client's, to the end of the body. Requests per backend: the balancer's own counters.",
      `Load: ${report.load}.`,
    ];
    if (report.interrupted) lines.push(this.palette.warn('Interrupted by Ctrl-C: not every algorithm ran to its end.'));
    return lines.map((line) => this.palette.dim(line));
  }
}

/** `:8001` for each backend when they all share a scheme and host, else the URL without `http://`. */
export function backendLabels(urls: readonly string[]): string[] {
  const parsed = urls.map((url) => new URL(url));
  const sameHost = parsed.every((u) => u.protocol === parsed[0].protocol && u.hostname === parsed[0].hostname);
  return parsed.map((u, i) => (sameHost && u.port ? `:${u.port}` : urls[i].replace(/^http:\/\//, '')));
}
