import type { BackendStatsView, PoolChangeMessage, StatsSnapshot } from '@loadex/api';
import { sortByUrl } from '../output/sort-by-url';

export interface RecentChange {
  at: Date;
  change: PoolChangeMessage;
}

/** How many pool changes the watch screen keeps under its table. */
export const RECENT_CHANGES_KEPT = 8;

/**
 * What `watch` shows: the latest stats snapshot, with pool changes applied as they arrive (so a
 * health flip shows at once, not at the next snapshot), the recent changes, and the connection.
 */
export class WatchState {
  snapshot: StatsSnapshot | null = null;
  readonly recent: RecentChange[] = [];
  /** Why the event stream is down right now, or null while connected. */
  disconnectedBecause: string | null = null;

  applyStats(snapshot: StatsSnapshot): void {
    this.snapshot = snapshot;
    this.disconnectedBecause = null;
  }

  applyPoolChange(change: PoolChangeMessage, at = new Date()): void {
    this.recent.unshift({ at, change });
    this.recent.length = Math.min(this.recent.length, RECENT_CHANGES_KEPT);
    const snapshot = this.snapshot;
    if (!snapshot) return;
    if (change.type === 'algorithm') {
      snapshot.algorithm = change.algorithm;
      return;
    }
    const url = change.backend.url;
    if (change.type === 'removed') {
      snapshot.backends = snapshot.backends.filter((b) => b.url !== url);
      return;
    }
    let row = snapshot.backends.find((b) => b.url === url);
    if (!row) {
      row = emptyRow(change.backend.url);
      snapshot.backends.push(row);
    }
    row.weight = change.backend.weight;
    row.healthy = change.backend.healthy;
    row.state = change.backend.state;
  }

  /** Backends in display order. */
  backends(): BackendStatsView[] {
    return this.snapshot ? sortByUrl(this.snapshot.backends) : [];
  }
}

function emptyRow(url: string): BackendStatsView {
  return {
    url,
    weight: 1,
    healthy: true,
    state: 'active',
    requests: 0,
    errors: 0,
    activeRequests: 0,
    rps: 0,
    latency: { p50: null, p95: null, p99: null },
  };
}
