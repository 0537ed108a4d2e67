import { Injectable } from '@nestjs/common';
import type { LoadReport } from '../load/load-report';
import { Palette } from './palette';
import { TableRenderer } from './table-renderer';
import { bar, formatMillis } from './units';

/** The human summary of `make-request`. */
@Injectable()
export class LoadReportFormatter {
  constructor(
    private readonly palette: Palette,
    private readonly tables: TableRenderer,
  ) {}

  render(report: LoadReport): string {
    const lines: string[] = [];
    const how = report.interrupted ? this.palette.warn(' (interrupted by Ctrl-C)') : '';
    lines.push(
      `Sent ${report.sent} ${report.method} requests to ${report.target} (concurrency ${report.concurrency}) in ${report.elapsedSeconds.toFixed(2)} s${how}`,
    );
    lines.push(`  succeeded    ${this.palette.good(String(report.succeeded))}`);
    lines.push(`  failed       ${report.failed > 0 ? this.palette.bad(this.failures(report)) : '0'}`);
    lines.push(`  requests/s   ${report.requestsPerSecond.toFixed(1)}`);
    const l = report.latencyMs;
    lines.push(
      `  latency      p50 ${formatMillis(l.p50)} · p95 ${formatMillis(l.p95)} · p99 ${formatMillis(l.p99)} · max ${formatMillis(l.max)}`,
    );
    lines.push('');
    lines.push(this.distribution(report));
    return lines.join('\n');
  }

  /** `5 (502 ×3, connection refused ×2)` */
  private failures(report: LoadReport): string {
    const parts = Object.entries(report.failures).map(([reason, n]) => `${reason} ×${n}`);
    return `${report.failed} (${parts.join(', ')})`;
  }

  private distribution(report: LoadReport): string {
    if (report.distribution.length === 0) return this.palette.warn('The balancer has no backends: no distribution.');
    const total = report.distribution.reduce((sum, d) => sum + d.requests, 0);
    const table = this.tables.render({
      head: ['Backend', 'Requests', 'Share', ''],
      rows: report.distribution.map((d) => [
        d.url,
        d.requests,
        `${d.percent.toFixed(1)}%`,
        this.palette.paint('cyan', bar(d.requests, total)),
      ]),
      alignRight: [1, 2],
    });
    return `Distribution per backend (the balancer's own counters):\n${table}`;
  }
}
