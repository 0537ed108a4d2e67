import { describeAlgorithms } from '@loadex/algorithms';
import { comparisonOptions, selectAlgorithms } from '../../apps/cli/src/compare/algorithm-selection';
import { maxLoad } from '../../apps/cli/src/compare/compare-report';
import { HOT_KEY, keyHeadersFor, planScenario, SCENARIOS } from '../../apps/cli/src/compare/compare-scenarios';
import { CliFailure, UsageError } from '../../apps/cli/src/errors/cli-failure';
import { backendLabels } from '../../apps/cli/src/output/compare-formatter';
import { backendView } from '../support/views';

const backend = backendView;

describe('compare lab: pure parts', () => {
  test('keys: exactly 80 % of requests carry the hot key in hot-key, spread evenly; none otherwise; the same every time', () => {
    const hot = keyHeadersFor(SCENARIOS['hot-key'].hotKeyShare);
    const keys = Array.from({ length: 1000 }, (_, i) => hot(i)['x-user']);
    expect(keys.filter((k) => k === HOT_KEY)).toHaveLength(800);
    for (let i = 0; i < 1000; i += 5) expect(keys.slice(i, i + 5).filter((k) => k === HOT_KEY)).toHaveLength(4);
    const others = keys.filter((k) => k !== HOT_KEY);
    expect(new Set(others).size).toBe(others.length);
    expect(Array.from({ length: 1000 }, (_, i) => hot(i)['x-user'])).toEqual(keys);

    const even = keyHeadersFor(SCENARIOS.skewed.hotKeyShare);
    const evenKeys = Array.from({ length: 100 }, (_, i) => even(i)['x-user']);
    expect(evenKeys).not.toContain(HOT_KEY);
    expect(new Set(evenKeys).size).toBe(100);
  });

  test('scenario plan: the first routable backend by URL (ports as numbers) is singled out; every backend is set', () => {
    const pool = [
      backend('http://127.0.0.1:10000'),
      backend('http://127.0.0.1:9000', { healthy: false }),
      backend('http://127.0.0.1:9500', { state: 'draining' }),
      backend('http://127.0.0.1:9999'),
    ];
    const plan = planScenario(SCENARIOS.skewed, pool);
    expect(plan.map((b) => [b.url, b.singledOut, b.latencyMs])).toEqual([
      ['http://127.0.0.1:9000', false, 5],
      ['http://127.0.0.1:9500', false, 5],
      ['http://127.0.0.1:9999', true, 50],
      ['http://127.0.0.1:10000', false, 5],
    ]);
    expect(planScenario(SCENARIOS.uneven, pool).map((b) => b.weight)).toEqual([1, 1, 5, 1]);
    expect(planScenario(SCENARIOS.flaky, pool).map((b) => b.failRate)).toEqual([0, 0, 0.2, 0]);
    // hot-key is in the traffic: every backend alike, none singled out
    expect(planScenario(SCENARIOS['hot-key'], pool).map((b) => [b.singledOut, b.latencyMs, b.weight])).toEqual([
      [false, 5, 1],
      [false, 5, 1],
      [false, 5, 1],
      [false, 5, 1],
    ]);
    expect(() => planScenario(SCENARIOS.skewed, pool.slice(0, 3))).toThrow(CliFailure);
    expect(() => planScenario(SCENARIOS.skewed, pool.slice(0, 3))).toThrow(
      /at least 2 healthy, active backends in the pool \(it has 1 of 3\)/,
    );
  });

  test('max/mean load: the busiest backend over the mean per backend; null without requests', () => {
    const share = (requests: number) => ({ url: `u${requests}`, requests, percent: 0 });
    expect(maxLoad([share(50), share(50), share(50), share(50)])).toBe(1);
    expect(maxLoad([share(100), share(0), share(0), share(0)])).toBe(4);
    expect(maxLoad([share(15), share(45), share(45), share(45)])).toBe(1.2);
    expect(maxLoad([share(0), share(0)])).toBeNull();
    expect(maxLoad([])).toBeNull();
  });

  test('algorithms: names or aliases in the order given, once each; unknown is a usage error naming it; hash hashes on x-user', () => {
    const catalog = describeAlgorithms();
    expect(selectAlgorithms(undefined, catalog).map((a) => a.name)).toEqual(catalog.map((a) => a.name));
    expect(selectAlgorithms(['LC', 'rr', 'leastconnection'], catalog).map((a) => a.name)).toEqual([
      'leastconnection',
      'roundrobin',
    ]);
    expect(() => selectAlgorithms(['rr', 'fastest'], catalog)).toThrow(UsageError);
    expect(() => selectAlgorithms(['rr', 'fastest'], catalog)).toThrow(
      /unknown algorithm "fastest": the balancer knows roundrobin \(rr\)/,
    );
    const options = Object.fromEntries(catalog.map((a) => [a.name, comparisonOptions(a)]));
    expect(options.hash).toEqual({ key: 'header:x-user' });
    expect(options.roundrobin).toBeUndefined();
    expect(options.ewma).toBeUndefined();
  });

  test('column labels: the port when every backend shares a host, else the address', () => {
    expect(backendLabels(['http://127.0.0.1:8001', 'http://127.0.0.1:8002'])).toEqual([':8001', ':8002']);
    expect(backendLabels(['http://10.0.0.1:80', 'http://10.0.0.2:80'])).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });
});
