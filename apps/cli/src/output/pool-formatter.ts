import { Injectable } from '@nestjs/common';
import type { AlgorithmInfo } from '@loadex/algorithms';
import type {
  AlgorithmView,
  BackendStatsView,
  BackendView,
  InfoView,
  PoolChangeMessage,
  StatsSnapshot,
} from '@loadex/api';
import { Palette } from './palette';
import { type Cell, TableRenderer } from './table-renderer';
import { clockTime, formatMillis, formatRate, formatUptime } from './units';

/** Human text for what the admin API returns: backend tables, stats, info, pool changes. */
@Injectable()
export class PoolFormatter {
  constructor(
    private readonly palette: Palette,
    private readonly tables: TableRenderer,
  ) {}

  /** `healthy`, `unhealthy`, or `ejected (12s left)` while passive outlier detection holds it out. */
  health(healthy: boolean, outlier?: BackendView['outlier']): string {
    if (outlier?.ejected && outlier.until) {
      const left = Math.max(0, Math.ceil((Date.parse(outlier.until) - Date.now()) / 1000));
      return this.palette.bad(`ejected (${left}s left)`);
    }
    return healthy ? this.palette.good('healthy') : this.palette.bad('unhealthy');
  }

  state(state: BackendView['state']): string {
    return state === 'draining' ? this.palette.warn('draining') : 'active';
  }

  /** `loadex health`: the original's server/status table plus weight, state and active requests. */
  healthTable(backends: BackendView[]): string {
    if (backends.length === 0) return this.palette.warn('no backends in the pool');
    return this.tables.render({
      head: ['Server', 'Status', 'Weight', 'State', 'Active'],
      rows: backends.map((b) => [
        b.url,
        this.health(b.healthy, b.outlier),
        b.weight,
        this.state(b.state),
        b.activeRequests,
      ]),
      alignRight: [2, 4],
    });
  }

  /** `loadex stats` and the body of `loadex watch`. */
  statsTable(snapshot: StatsSnapshot, backends: BackendStatsView[]): string {
    const rows: Cell[][] = backends.map((b) => [
      b.url,
      this.health(b.healthy, b.outlier),
      this.state(b.state),
      b.weight,
      ...this.trafficCells(b),
    ]);
    rows.push([this.palette.bold('total'), '', '', '', ...this.trafficCells(snapshot.totals)]);
    return this.tables.render({
      head: ['Backend', 'Health', 'State', 'Weight', 'Requests', 'Errors', 'Active', 'Req/s', 'p50', 'p95', 'p99'],
      rows,
      alignRight: [3, 4, 5, 6, 7, 8, 9, 10],
    });
  }

  /** The traffic columns of a stats row, the same for one backend and for the totals. */
  private trafficCells(t: StatsSnapshot['totals']): Cell[] {
    return [
      t.requests,
      t.errors > 0 ? this.palette.bad(String(t.errors)) : 0,
      t.activeRequests,
      formatRate(t.rps),
      formatMillis(t.latency.p50),
      formatMillis(t.latency.p95),
      formatMillis(t.latency.p99),
    ];
  }

  /** One line above the stats table: algorithm, uptime, time of the snapshot. */
  statsHeading(snapshot: StatsSnapshot): string {
    return `algorithm ${this.palette.bold(snapshot.algorithm)} · uptime ${formatUptime(snapshot.uptimeSeconds)} · at ${clockTime(snapshot.at)}`;
  }

  info(info: InfoView, baseUrl: string): string {
    return this.tables.renderPairs([
      ['balancer', baseUrl],
      ['version', info.version],
      ['algorithm', info.algorithm],
      ['uptime', formatUptime(info.uptimeSeconds)],
      ['backends', info.backends],
    ]);
  }

  /**
   * `algorithm: roundrobin (available: …)`, or `algorithm switched to …` right after a switch; an
   * algorithm with options shows them: `hash key=ip balanceFactor=1.25`.
   */
  algorithm(view: AlgorithmView, switched = false): string {
    const options = Object.entries(view.options ?? {})
      .map(([key, value]) => ` ${key}=${String(value)}`)
      .join('');
    const available = this.palette.dim(` (available: ${view.available.join(', ')})`);
    return `${switched ? 'algorithm switched to' : 'algorithm:'} ${this.palette.bold(view.algorithm)}${options}${available}`;
  }

  /**
   * `loadex algo --list`: every algorithm the balancer knows, two lines each:
   * `hash (consistenthash, chash) · options key=ip balanceFactor=0` and how it chooses.
   */
  algorithms(list: AlgorithmInfo[]): string {
    return list
      .map((a) => {
        const aliases = a.aliases.length ? ` (${a.aliases.join(', ')})` : '';
        const options = a.options.length
          ? this.palette.dim(` · options ${a.options.map((o) => `${o.name}=${String(o.default)}`).join(' ')}`)
          : '';
        return `${this.palette.bold(a.name)}${aliases}${options}\n  ${a.description}`;
      })
      .join('\n');
  }

  /** `http://127.0.0.1:8001 · weight 3 · active · healthy` */
  backendLine(backend: BackendView): string {
    return `${backend.url} · weight ${backend.weight} · ${this.state(backend.state)} · ${this.health(backend.healthy)}`;
  }

  /** One line per pool change, for `watch`: `12:00:01  http://… is now unhealthy (HTTP 503)`. */
  poolChange(change: PoolChangeMessage, at: Date): string {
    return `${this.palette.dim(clockTime(at))}  ${this.describeChange(change)}`;
  }

  private describeChange(change: PoolChangeMessage): string {
    switch (change.type) {
      case 'added':
        return `${change.backend.url} added (weight ${change.backend.weight})`;
      case 'removed':
        return `${change.backend.url} removed`;
      case 'weight':
        return `${change.backend.url} weight → ${change.weight}`;
      case 'state':
        return `${change.backend.url} is now ${this.state(change.state)}`;
      case 'health':
        return `${change.backend.url} is now ${this.health(change.healthy)}${change.reason ? ` (${change.reason})` : ''}`;
      case 'outlier':
        return `${change.backend.url} ${change.ejected ? this.palette.bad('ejected') : 'back from ejection'} (${change.reason})`;
      case 'algorithm':
        return `algorithm → ${this.palette.bold(change.algorithm)}`;
    }
  }
}
