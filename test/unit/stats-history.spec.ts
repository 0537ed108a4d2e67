import type { StatsHistoryPoint } from '@loadex/api';
import type { StatsCollector } from '../../apps/balancer/src/stats/stats-collector';
import { HISTORY_POINTS, StatsHistory } from '../../apps/balancer/src/stats/stats-history';

/** A collector whose every point counts one more request than the last. */
function countingCollector(): StatsCollector {
  let requests = 0;
  const point = (): StatsHistoryPoint => {
    requests++;
    return {
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, requests)).toISOString(),
      totals: { requests, latency: { p50: 1, p95: 2, p99: 3 } },
      backends: [{ url: 'http://127.0.0.1:1', requests }],
    };
  };
  return { historyPoint: point } as unknown as StatsCollector;
}

describe('StatsHistory', () => {
  it('is empty until the first second is recorded', () => {
    expect(new StatsHistory(countingCollector()).points()).toEqual([]);
  });

  it('keeps the points oldest first', () => {
    const history = new StatsHistory(countingCollector());
    for (let i = 0; i < 3; i++) history.record();
    expect(history.points().map((p) => p.totals.requests)).toEqual([1, 2, 3]);
  });

  it('keeps five minutes: past that, the oldest point goes as each new one comes', () => {
    expect(HISTORY_POINTS).toBe(300);
    const history = new StatsHistory(countingCollector());
    for (let i = 0; i < HISTORY_POINTS + 5; i++) history.record();
    const requests = history.points().map((p) => p.totals.requests);
    expect(requests).toHaveLength(HISTORY_POINTS);
    expect(requests[0]).toBe(6);
    expect(requests[requests.length - 1]).toBe(HISTORY_POINTS + 5);
  });

  it('hands out a copy: a reader cannot change what the next reader gets', () => {
    const history = new StatsHistory(countingCollector());
    history.record();
    history.points().pop();
    expect(history.points()).toHaveLength(1);
  });
});
