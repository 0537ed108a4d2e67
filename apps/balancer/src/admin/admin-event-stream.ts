import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, type MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { concat, defer, interval, map, merge, Observable, of, share, Subject, takeUntil } from 'rxjs';
import type { PoolChangeMessage, StatsHistoryMessage, StatsSnapshot } from '@loadex/api';
import { StatsCollector } from '../stats/stats-collector';
import { StatsHistory } from '../stats/stats-history';
import { PoolChanges } from '../pool-changes/pool-changes';

export const STATS_INTERVAL_MS = 1000;
/** How long shutdown waits for open streams to send their end before the server cuts them. */
const END_GRACE_MS = 1000;

/** A `history`, `stats` or `pool` event of `GET /api/events`. */
export type AdminEvent = MessageEvent &
  (
    | { type: 'history'; data: StatsHistoryMessage }
    | { type: 'stats'; data: StatsSnapshot }
    | { type: 'pool'; data: PoolChangeMessage }
  );

/**
 * The SSE stream: on connect the `history` of the last five minutes, then a `stats` snapshot
 * at once and every second, and a `pool` event on every change. One shared 1 s timer serves all
 * clients; it runs only while at least one is connected.
 * On shutdown every stream completes and its response ends, so open SSE clients never keep the
 * server (or `app.close()`) waiting.
 *
 * This is the one place rxjs stays: Nest's `@Sse()` takes an Observable, and its operators make
 * the per-client composition short (history first, then stats and pool changes merged, a shared
 * ticker that runs only while someone listens, completion on shutdown). Pool changes come in
 * from the `PoolChanges` signal; each client's subscription is a listener, removed when it ends.
 */
@Injectable()
export class AdminEventStream implements OnModuleDestroy {
  private readonly closing$ = new Subject<void>();
  private readonly ticks$: Observable<StatsSnapshot>;
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly stats: StatsCollector,
    private readonly history: StatsHistory,
    private readonly changes: PoolChanges,
  ) {
    this.ticks$ = interval(STATS_INTERVAL_MS).pipe(
      map(() => this.stats.snapshot()),
      share(),
    );
  }

  /** One client's stream; `response` is tracked so shutdown can wait for its end. */
  events(response?: ServerResponse): Observable<AdminEvent> {
    if (response && !response.writableEnded) {
      this.open.add(response);
      response.once('close', () => this.open.delete(response));
    }
    const stats$ = merge(
      defer(() => of(this.stats.snapshot())),
      this.ticks$,
    ).pipe(map((data): AdminEvent => ({ type: 'stats', data })));
    const pool$ = new Observable<AdminEvent>((subscriber) =>
      this.changes.on((data) => subscriber.next({ type: 'pool', data })),
    );
    const history$ = defer(() => of<AdminEvent>({ type: 'history', data: { points: this.history.points() } }));
    return concat(history$, merge(stats$, pool$)).pipe(takeUntil(this.closing$));
  }

  async onModuleDestroy(): Promise<void> {
    this.closing$.next();
    this.closing$.complete();
    if (this.open.size === 0) return;
    const grace = new AbortController();
    await Promise.race([
      Promise.all([...this.open].map((res) => once(res, 'close', { signal: grace.signal }))),
      sleep(END_GRACE_MS, undefined, { ref: false }),
    ]).catch(() => undefined);
    grace.abort();
  }
}
