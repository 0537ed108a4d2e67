import { backendView } from '../support/views';
import type { BackendStatsView, StatsSnapshot } from '@loadex/api';
import { summarizeLatencies } from '../../apps/cli/src/load/latency-percentiles';
import { distributionBetween } from '../../apps/cli/src/load/load-report';
import { parseDuration, parsePositiveInteger, parseWeight } from '../../apps/cli/src/settings/option-parsers';
import { WatchState } from '../../apps/cli/src/watch/watch-state';

const row = (url: string, requests: number, healthy = true): BackendStatsView => ({
  url,
  weight: 1,
  healthy,
  state: 'active',
  requests,
  errors: 0,
  activeRequests: 0,
  rps: 0,
  latency: { p50: null, p95: null, p99: null },
});

const snapshot = (backends: BackendStatsView[]): StatsSnapshot => ({
  at: new Date(0).toISOString(),
  uptimeSeconds: 1,
  algorithm: 'roundrobin',
  totals: { requests: 0, errors: 0, activeRequests: 0, rps: 0, latency: { p50: null, p95: null, p99: null } },
  backends,
});

describe('make-request arithmetic', () => {
  test('nearest-rank percentiles over 1..100 ms', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    expect(summarizeLatencies(latencies)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100 });
    expect(summarizeLatencies([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7 });
    expect(summarizeLatencies([])).toEqual({ p50: null, p95: null, p99: null, max: null });
  });

  test('distribution: counter deltas per backend, a backend added mid-run counts from 0, sorted by port', () => {
    const before = snapshot([row('http://h:9000', 50), row('http://h:10000', 7)]);
    const after = snapshot([row('http://h:10000', 17), row('http://h:9000', 70), row('http://h:8000', 10)]);
    expect(distributionBetween(before, after)).toEqual([
      { url: 'http://h:8000', requests: 10, percent: 25 },
      { url: 'http://h:9000', requests: 20, percent: 50 },
      { url: 'http://h:10000', requests: 10, percent: 25 },
    ]);
    expect(distributionBetween(after, after).every((d) => d.requests === 0 && d.percent === 0)).toBe(true);
  });

  test('option values: counts, weights and durations', () => {
    expect(parsePositiveInteger('300')).toBe(300);
    expect(() => parsePositiveInteger('0')).toThrow('expected a positive integer');
    expect(() => parsePositiveInteger('2.5')).toThrow('expected a positive integer');
    expect(parseWeight('1000')).toBe(1000);
    expect(() => parseWeight('1001')).toThrow('expected an integer from 1 to 1000');
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(() => parseDuration('30')).toThrow('expected a duration');
    expect(() => parseDuration('0s')).toThrow('longer than 0');
  });
});

describe('watch state', () => {
  const view = backendView;

  test('pool changes show at once, before the next stats snapshot; recent changes are bounded', () => {
    const state = new WatchState();
    state.applyStats(snapshot([row('http://h:2', 5), row('http://h:1', 3)]));
    state.applyPoolChange({
      type: 'health',
      backend: view('http://h:1', { healthy: false }),
      healthy: false,
      reason: 'x',
    });
    state.applyPoolChange({ type: 'added', backend: view('http://h:3', { weight: 4 }) });
    state.applyPoolChange({ type: 'removed', backend: view('http://h:2') });
    state.applyPoolChange({ type: 'algorithm', algorithm: 'iphash' });
    expect(state.backends().map((b) => [b.url, b.healthy, b.weight])).toEqual([
      ['http://h:1', false, 1],
      ['http://h:3', true, 4],
    ]);
    expect(state.snapshot?.algorithm).toBe('iphash');
    expect(state.recent.map((r) => r.change.type)).toEqual(['algorithm', 'removed', 'added', 'health']);
    for (let i = 0; i < 20; i++) state.applyPoolChange({ type: 'algorithm', algorithm: 'rr' });
    expect(state.recent.length).toBe(8);
  });
});
