import { Injectable } from '@nestjs/common';
import type { ClusterStats, InstancesView } from '@loadex/api';
import { Palette } from './palette';
import { PoolFormatter } from './pool-formatter';
import { sortByUrl } from './sort-by-url';
import { type Cell, TableRenderer } from './table-renderer';
import { formatMillis, formatRate } from './units';

/** Human text for the replicas of `--store`: the health matrix, per-instance and cluster traffic. */
@Injectable()
export class InstancesFormatter {
  constructor(
    private readonly palette: Palette,
    private readonly tables: TableRenderer,
    private readonly pool: PoolFormatter,
  ) {}

  /** `loadex health --all-instances`: one row per backend, one column per replica (its own health checks). */
  healthMatrix(view: InstancesView): string {
    if (view.instances.length === 0) return this.palette.warn('no live instances');
    const urls = sortByUrl(
      [...new Set(view.instances.flatMap((i) => i.backends.map((b) => b.url)))].map((url) => ({ url })),
    );
    const rows: Cell[][] = urls.map(({ url }) => [
      url,
      ...view.instances.map((instance) => {
        const backend = instance.backends.find((b) => b.url === url);
        return backend ? this.pool.health(backend.healthy) : this.palette.dim('—');
      }),
    ]);
    const table = this.tables.render({
      head: ['Server', ...view.instances.map((i) => (i.self ? `${i.instance} (this)` : i.instance))],
      rows,
    });
    return `${this.storeLine(view)}\n${table}`;
  }

  /** Below `loadex stats` with `--store`: each replica's totals, then the sums per backend. */
  instancesTable(view: InstancesView): string {
    return this.tables.render({
      head: ['Instance', 'Version', 'Requests', 'Errors', 'Active', 'Req/s', 'p50', 'p95', 'p99'],
      rows: view.instances.map((i) => [
        i.self ? `${i.instance} (this)` : i.instance,
        i.version,
        i.totals.requests,
        i.totals.errors > 0 ? this.palette.bad(String(i.totals.errors)) : 0,
        i.totals.activeRequests,
        formatRate(i.totals.rps),
        formatMillis(i.totals.latency.p50),
        formatMillis(i.totals.latency.p95),
        formatMillis(i.totals.latency.p99),
      ]),
      alignRight: [1, 2, 3, 4, 5, 6, 7, 8],
    });
  }

  clusterTable(cluster: ClusterStats): string {
    const rows: Cell[][] = sortByUrl(cluster.backends).map((b) => [
      b.url,
      `${b.healthyOn}/${b.instances}`,
      b.requests,
      b.errors > 0 ? this.palette.bad(String(b.errors)) : 0,
      b.activeRequests,
      formatRate(b.rps),
    ]);
    const t = cluster.totals;
    rows.push([this.palette.bold('cluster total'), '', t.requests, t.errors, t.activeRequests, formatRate(t.rps)]);
    return this.tables.render({
      head: ['Backend', 'Healthy on', 'Requests', 'Errors', 'Active', 'Req/s'],
      rows,
      alignRight: [1, 2, 3, 4, 5],
    });
  }

  private storeLine(view: InstancesView): string {
    if (!view.store) return this.palette.dim(`${view.instance}: no --store, this balancer only`);
    const up = view.store.up ? this.palette.good('up') : this.palette.bad('down');
    return `store ${view.store.url} ${up} · version ${view.store.version} · ${view.instances.length} instance(s)`;
  }
}
