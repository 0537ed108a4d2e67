import { firstValueFrom, take, toArray } from 'rxjs';
import type { ActiveAlgorithm } from '@loadex/algorithms';
import { Backend, ServerPool } from '@loadex/pool';
import { AdminEventStream } from '../../apps/balancer/src/admin/admin-event-stream';
import { PoolChanges } from '../../apps/balancer/src/pool-changes/pool-changes';
import { RequestWindow } from '../../apps/balancer/src/stats/request-window';
import { StatsCollector } from '../../apps/balancer/src/stats/stats-collector';
import { StatsHistory } from '../../apps/balancer/src/stats/stats-history';
import { TrafficObserver } from '../../apps/balancer/src/traffic/traffic-observer';

describe('RequestWindow (the numbers behind /api/stats)', () => {
  const T0 = 1_700_000_000_000;

  it('rps covers the last 10 s and forgets older seconds', () => {
    const window = new RequestWindow(64, T0 - 60_000);
    // Uneven traffic: second s gets s + 1 requests, so each window length gives another rate.
    for (let s = 0; s < 20; s++) {
      for (let i = 0; i <= s; i++) window.record(T0 + s * 1000 + i, 1);
    }
    // At the end of second 19: seconds 10..19 hold 11 + ... + 20 = 155 requests over ~10 s
    // (9 s would give 144 / 9 = 16, 11 s 165 / 11 = 15).
    expect(window.rps(T0 + 19_999)).toBe(15.5);
    // 5 s later only seconds 15..19 are left: 16 + ... + 20 = 90 over 10 s.
    expect(window.rps(T0 + 24_999)).toBe(9);
    // 15 s later nothing is left in the window.
    expect(window.rps(T0 + 35_000)).toBe(0);
  });

  it('does not average the first seconds over a full window', () => {
    const window = new RequestWindow(64, T0);
    for (let i = 0; i < 10; i++) window.record(T0 + 100 * i, 1);
    expect(window.rps(T0 + 2000)).toBe(5);
  });

  it('p50/p95/p99 by nearest rank over the recent samples; null without any', () => {
    const window = new RequestWindow(1000, T0);
    const scratch = new Float64Array(1000);
    expect(window.latency(T0, scratch)).toEqual({ p50: null, p95: null, p99: null });
    for (let ms = 100; ms >= 1; ms--) window.record(T0 + 1, ms);
    expect(window.latency(T0 + 2, scratch)).toEqual({ p50: 50, p95: 95, p99: 99 });
  });

  it('keeps at most `capacity` latencies (the most recent) and drops ones older than 10 s', () => {
    const window = new RequestWindow(4, T0);
    const scratch = new Float64Array(4);
    for (const ms of [1000, 1000, 1000, 1000]) window.record(T0, ms);
    for (const ms of [1, 2]) window.record(T0 + 5000, ms);
    // The ring holds 1000, 1000, 1, 2.
    expect(window.latency(T0 + 5000, scratch)).toEqual({ p50: 2, p95: 1000, p99: 1000 });
    // 11 s after the first samples only the recent two are in the window.
    expect(window.latency(T0 + 11_000, scratch)).toEqual({ p50: 1, p95: 2, p99: 2 });
  });
});

describe('StatsCollector', () => {
  it('counts a failed attempt that was retried once, and a request that ended in error once', () => {
    const pool = new ServerPool();
    const a = pool.add(new URL('http://127.0.0.1:1')).backend;
    const b = pool.add(new URL('http://127.0.0.1:2')).backend;
    const collector = new StatsCollector(pool, { name: 'roundrobin' } as ActiveAlgorithm, new TrafficObserver());
    collector.retried(a); // refused at a, retried on b
    collector.requestFinished(b, 'GET', 200, 0.01);
    collector.requestFinished(a, 'GET', 502, 0.02); // failed at a, no retry left
    collector.requestFinished(undefined, 'GET', 503, 0.001); // no backend at all
    const snapshot = collector.snapshot();
    expect(snapshot.totals).toMatchObject({ requests: 3, errors: 2 });
    expect(snapshot.backends.map((s) => [s.url, s.errors])).toEqual([
      [a.url, 2],
      [b.url, 0],
    ]);
  });
});

describe('AdminEventStream timer', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one shared 1 s timer only while clients are connected', async () => {
    const pool = new ServerPool();
    pool.add(new URL('http://127.0.0.1:1'));
    const collector = new StatsCollector(pool, { name: 'roundrobin' } as ActiveAlgorithm, new TrafficObserver());
    const snapshot = jest.spyOn(collector, 'snapshot');
    const changes = new PoolChanges(pool);
    changes.onModuleInit();
    const stream = new AdminEventStream(collector, new StatsHistory(collector), changes);

    const first = stream.events().subscribe();
    const second = stream.events().subscribe();
    expect(snapshot).toHaveBeenCalledTimes(2); // one right on connect for each
    jest.advanceTimersByTime(3000);
    expect(snapshot).toHaveBeenCalledTimes(5); // then one per second, shared
    first.unsubscribe();
    jest.advanceTimersByTime(1000);
    expect(snapshot).toHaveBeenCalledTimes(6);
    second.unsubscribe();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5000);
    expect(snapshot).toHaveBeenCalledTimes(6);

    // Pool changes reach a client as `pool` events.
    const received = firstValueFrom(stream.events().pipe(take(3), toArray()));
    pool.setWeight(pool.get('http://127.0.0.1:1') as Backend, 9);
    const [history, connectStats, change] = await received;
    expect(history).toEqual({ type: 'history', data: { points: [] } });
    expect(connectStats.type).toBe('stats');
    expect(change).toMatchObject({ type: 'pool', data: { type: 'weight', weight: 9 } });

    // Shutdown completes every stream and leaves no timer behind.
    let completed = false;
    stream.events().subscribe({ complete: () => (completed = true) });
    await stream.onModuleDestroy();
    expect(completed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
