import { Injectable } from '@nestjs/common';
import { Palette } from '../output/palette';
import { PoolFormatter } from '../output/pool-formatter';
import { clockTime, formatRate } from '../output/units';
import { CliSettings } from '../settings/cli-settings';
import type { RecentChange, WatchState } from './watch-state';

/** Renders `watch`: the full screen on a terminal, or one line per event when piped. */
@Injectable()
export class WatchFrameRenderer {
  constructor(
    private readonly settings: CliSettings,
    private readonly palette: Palette,
    private readonly pool: PoolFormatter,
  ) {}

  /** The whole screen: heading, stats table, recent pool changes, connection and key help. */
  frame(state: WatchState): string {
    const lines: string[] = [];
    const snapshot = state.snapshot;
    const heading = `${this.palette.bold('loadex watch')} · ${this.settings.baseUrl}`;
    lines.push(snapshot ? `${heading} · ${this.pool.statsHeading(snapshot)}` : heading);
    lines.push('');
    if (snapshot) lines.push(this.pool.statsTable(snapshot, state.backends()));
    else lines.push(this.palette.dim('waiting for the first snapshot…'));
    lines.push('');
    lines.push(this.palette.bold('Recent changes'));
    if (state.recent.length === 0) lines.push(this.palette.dim('  none since watch started'));
    for (const { at, change } of state.recent) lines.push(`  ${this.pool.poolChange(change, at)}`);
    lines.push('');
    lines.push(
      state.disconnectedBecause === null
        ? this.palette.dim('live from /api/events · q or Ctrl-C to quit')
        : this.palette.bad(`connection lost (${state.disconnectedBecause}) · reconnecting… · q or Ctrl-C to quit`),
    );
    return lines.join('\n');
  }

  /** One line per pool change when the output is not a terminal. */
  poolChangeLine(recent: RecentChange): string {
    return this.pool.poolChange(recent.change, recent.at);
  }

  /** One line per stats snapshot when the output is not a terminal. */
  statsLine(state: WatchState): string {
    const s = state.snapshot;
    if (!s) return '';
    const healthy = s.backends.filter((b) => b.healthy).length;
    return `${clockTime(s.at)}  ${s.totals.requests} requests · ${formatRate(s.totals.rps)} req/s · ${s.totals.errors} errors · ${s.totals.activeRequests} active · ${healthy}/${s.backends.length} healthy · ${s.algorithm}`;
  }
}
