import { addInFlight, setBackendState } from '../support/backend-state';
import {
  type Algorithm,
  type AlgorithmDeps,
  ConsistentHash,
  createAlgorithm,
  LeastTime,
  PeakEwma,
  PowerOfTwoChoices,
  type RequestInfo,
  WeightedRandom,
} from '@loadex/algorithms';
import { Backend } from '@loadex/pool';
import { seededRandom, testDeps } from './seeded-random';

function backends(n: number, weights: number[] = []): Backend[] {
  return Array.from({ length: n }, (_, i) => new Backend(new URL(`http://10.1.0.${i + 1}:9000`), weights[i] ?? 1));
}

const plain = (clientIp = '10.9.9.9'): RequestInfo => ({ clientIp, url: '/', headers: {} });
const withKey = (key: string): RequestInfo => ({ clientIp: '10.9.9.9', url: '/', headers: { 'x-key': key } });

function tally(algorithm: Algorithm, pool: readonly Backend[], n: number, request = plain()): number[] {
  const counts = pool.map(() => 0);
  for (let i = 0; i < n; i++) counts[pool.indexOf(algorithm.pick(pool, request)!)]++;
  return counts;
}

describe('random (weighted)', () => {
  it('picks in proportion to weight: 3,1 gives 75 % ± 2 % over 10,000 picks', () => {
    const [a] = tally(new WeightedRandom(testDeps(11)), backends(2, [3, 1]), 10_000);
    expect(a).toBeGreaterThan(7300);
    expect(a).toBeLessThan(7700);
  });
});

describe('p2c (power of two choices)', () => {
  /** Records every draw, so the test knows which two candidates each pick compared. */
  function recording(seed: number): AlgorithmDeps & { draws: number[] } {
    const random = seededRandom(seed);
    const deps = {
      draws: [] as number[],
      random: () => {
        const r = random();
        deps.draws.push(r);
        return r;
      },
      now: () => 0,
    };
    return deps;
  }

  it('never picks the busier of its two distinct candidates', () => {
    const deps = recording(3);
    const p2c = new PowerOfTwoChoices(deps);
    const pool = backends(6, [1, 2, 1, 3, 1, 1]);
    const load = seededRandom(99);
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      for (const b of pool) setBackendState(b, { activeRequests: Math.floor(load() * 20) });
      deps.draws.length = 0;
      const picked = p2c.pick(pool)!;
      // The two draws name the candidates: the first uniformly of n, the second of the other n - 1.
      expect(deps.draws).toHaveLength(2);
      const first = Math.floor(deps.draws[0] * pool.length);
      let second = Math.floor(deps.draws[1] * (pool.length - 1));
      if (second >= first) second++;
      expect(second).not.toBe(first);
      const [x, y] = [pool[first], pool[second]];
      expect([x, y]).toContain(picked);
      const other = picked === x ? y : x;
      expect(picked.activeRequests / picked.weight).toBeLessThanOrEqual(other.activeRequests / other.weight);
      if (x.activeRequests / x.weight !== y.activeRequests / y.weight) compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('of two, always the one with fewer in-flight requests per weight', () => {
    const p2c = new PowerOfTwoChoices(testDeps(5));
    const [a, b] = backends(2, [1, 4]);
    setBackendState(a, { activeRequests: 2 }); // 2 per weight
    setBackendState(b, { activeRequests: 6 }); // 1.5 per weight
    for (let i = 0; i < 100; i++) expect(p2c.pick([a, b])).toBe(b);
  });

  it('with equal load, 10,000 picks over 10 backends are within 5 % of even', () => {
    // Ten identical backends, 20 requests in flight, the oldest finishing first.
    const pool = backends(10);
    const p2c = new PowerOfTwoChoices(testDeps(8));
    const inFlight: Backend[] = [];
    const counts = pool.map(() => 0);
    for (let i = 0; i < 10_000; i++) {
      if (inFlight.length === 20) addInFlight(inFlight.shift()!, -1);
      const picked = p2c.pick(pool)!;
      addInFlight(picked);
      inFlight.push(picked);
      counts[pool.indexOf(picked)]++;
    }
    for (const n of counts) {
      expect(n).toBeGreaterThanOrEqual(950);
      expect(n).toBeLessThanOrEqual(1050);
    }
  });

  it('one candidate is returned without a draw', () => {
    const deps = recording(1);
    const [only] = backends(1);
    expect(new PowerOfTwoChoices(deps).pick([only])).toBe(only);
    expect(deps.draws).toEqual([]);
  });
});

/** One backend at 200 ms peak-EWMA, four at ~0 ms; picks at concurrency 20, the oldest finishing first. */
function slowShare(algorithm: Algorithm): number {
  const pool = backends(5);
  pool.forEach((b, i) => {
    setBackendState(b, { ttfbEwmaMs: i === 0 ? 200 : 0.5 });
    setBackendState(b, { ttfbSamples: 50 });
  });
  const inFlight: Backend[] = [];
  let slow = 0;
  for (let i = 0; i < 400; i++) {
    if (inFlight.length === 20) addInFlight(inFlight.shift()!, -1);
    const picked = algorithm.pick(pool, plain())!;
    addInFlight(picked);
    inFlight.push(picked);
    if (picked === pool[0]) slow++;
  }
  return slow / 400;
}

describe('ewma (P2C on peak-EWMA time to first byte)', () => {
  it('a backend at 200 ms among four at ~0 gets under 5 % of 400 picks at concurrency 20', () => {
    expect(slowShare(new PeakEwma(10_000, testDeps(4)))).toBeLessThan(0.05);
  });

  it('an unmeasured backend costs 0, so it wins whenever it is drawn', () => {
    const [fresh, measured] = backends(2);
    setBackendState(measured, { ttfbEwmaMs: 1 });
    setBackendState(measured, { ttfbSamples: 3 });
    const ewma = new PeakEwma(10_000, testDeps(6));
    for (let i = 0; i < 50; i++) expect(ewma.pick([fresh, measured])).toBe(fresh);
  });

  it('cost is latency × (in-flight + 1): a fast backend with a queue loses to a slower idle one', () => {
    const [fast, slowIdle] = backends(2);
    setBackendState(fast, { ttfbEwmaMs: 10 });
    setBackendState(fast, { ttfbSamples: 1 });
    setBackendState(fast, { activeRequests: 9 }); // 100
    setBackendState(slowIdle, { ttfbEwmaMs: 50 });
    setBackendState(slowIdle, { ttfbSamples: 1 }); // 50
    expect(new PeakEwma(10_000, testDeps(2)).pick([fast, slowIdle])).toBe(slowIdle);
  });

  it('without a new sample, an old latency fades with the injected clock, so the slow backend is tried again', () => {
    const deps = testDeps(9);
    const ewma = new PeakEwma(1000, deps);
    const [slow, fast] = backends(2);
    setBackendState(slow, { ttfbEwmaMs: 200 });
    setBackendState(slow, { ttfbSamples: 10 });
    setBackendState(fast, { ttfbEwmaMs: 5 });
    setBackendState(fast, { ttfbSamples: 10 });
    expect(ewma.pick([slow, fast])).toBe(fast);
    deps.time += 2000; // fast answers again (a new sample), slow has none: 200 × e^-2 ≈ 27 ms
    setBackendState(fast, { ttfbSamples: fast.ttfbSamples + 1 });
    expect(ewma.pick([slow, fast])).toBe(fast);
    deps.time += 3000; // 200 × e^-5 ≈ 1.3 ms < 5 ms
    setBackendState(fast, { ttfbSamples: fast.ttfbSamples + 1 });
    expect(ewma.pick([slow, fast])).toBe(slow);
  });

  it('decayMs is an option of the registry entry', () => {
    expect(createAlgorithm('peak-ewma', { decayMs: 2500 })).toBeInstanceOf(PeakEwma);
    expect(() => createAlgorithm('ewma', { decayMs: -1 })).toThrow(/decayMs: expected an integer/);
  });
});

describe('leasttime', () => {
  it('a backend at 200 ms among four at ~0 gets under 5 % of 400 picks at concurrency 20', () => {
    expect(slowShare(new LeastTime())).toBeLessThan(0.05);
  });

  it('picks the lowest ttfb × (in-flight + 1) / weight', () => {
    const pool = backends(3, [1, 1, 4]);
    const costs = [
      [20, 0], // 20
      [5, 5], // 30
      [30, 1], // 30 × 2 / 4 = 15
    ];
    pool.forEach((b, i) => {
      setBackendState(b, { ttfbEwmaMs: costs[i][0], activeRequests: costs[i][1], ttfbSamples: 1 });
    });
    expect(new LeastTime().pick(pool)).toBe(pool[2]);
  });

  it('ties (an unmeasured pool) go in turn', () => {
    const pool = backends(3);
    const lt = new LeastTime();
    expect(Array.from({ length: 6 }, () => pool.indexOf(lt.pick(pool)!))).toEqual([0, 1, 2, 0, 1, 2]);
  });
});

describe('hash (consistent hashing with bounded loads)', () => {
  const KEYS = Array.from({ length: 10_000 }, (_, i) => `key-${i}`);

  function assignment(hash: Algorithm, pool: readonly Backend[]): Map<string, Backend> {
    return new Map(KEYS.map((k) => [k, hash.pick(pool, withKey(k))!]));
  }

  it('the same key always lands on the same backend, in any instance and candidate order', () => {
    const pool = backends(10);
    const first = assignment(new ConsistentHash('header:x-key', 0), pool);
    expect(assignment(new ConsistentHash('header:x-key', 0), pool)).toEqual(first);
    expect(assignment(new ConsistentHash('header:x-key', 0), [...pool].reverse())).toEqual(first);
    const counts = pool.map((b) => [...first.values()].filter((x) => x === b).length);
    for (const n of counts) expect(n).toBeGreaterThan(500); // 1,000 each on average
  });

  it('removing one of 10 backends moves only its keys (≤ 1/10 + 2 % of 10,000)', () => {
    const hash = new ConsistentHash('header:x-key', 0);
    const pool = backends(10);
    const before = assignment(hash, pool);
    const gone = pool[3];
    const rest = pool.filter((b) => b !== gone);
    // Seen once (a retry's subset, served from the old ring), then again (rebuilt): the same answer.
    const once = assignment(hash, rest);
    const rebuilt = assignment(hash, rest);
    expect(rebuilt).toEqual(once);
    let moved = 0;
    for (const k of KEYS) {
      if (before.get(k) === gone) {
        expect(once.get(k)).not.toBe(gone);
        moved++;
      } else {
        expect(once.get(k)).toBe(before.get(k));
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(10_000 * (1 / 10 + 0.02));
  });

  it('adding an 11th moves only keys onto it (≤ 1/11 + 2 %)', () => {
    const hash = new ConsistentHash('header:x-key', 0);
    const pool = backends(11);
    const before = assignment(hash, pool.slice(0, 10));
    const after = assignment(hash, pool);
    let moved = 0;
    for (const k of KEYS) {
      if (after.get(k) !== before.get(k)) {
        expect(after.get(k)).toBe(pool[10]);
        moved++;
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(10_000 * (1 / 11 + 0.02));
  });

  it('honours weights: weight 3 gets about three times the keys of weight 1', () => {
    const pool = backends(3, [3, 1, 1]);
    const share = [...assignment(new ConsistentHash('header:x-key', 0), pool).values()].filter(
      (b) => b === pool[0],
    ).length;
    expect(share / 10_000).toBeGreaterThan(0.55);
    expect(share / 10_000).toBeLessThan(0.65);
  });

  it('follows a weight change (same candidate array) by rebuilding the ring', () => {
    const hash = new ConsistentHash('header:x-key', 0);
    const pool = backends(2);
    assignment(hash, pool);
    setBackendState(pool[0], { weight: 9, effectiveWeight: 9 });
    const share = [...assignment(hash, pool).values()].filter((b) => b === pool[0]).length;
    expect(share / 10_000).toBeGreaterThan(0.85);
  });

  /**
   * 4,000 picks, 80 % for one hot key, with about 40 requests in flight (a random one finishes
   * after each pick): the worst picked backend's in-flight count, and the bound it had to respect.
   */
  function hotKeyRun(factor: number): { worstOver: number; hotSpread: number } {
    const hash = new ConsistentHash('header:x-key', factor);
    const pool = backends(8);
    const random = seededRandom(21);
    const inFlight: Backend[] = [];
    const hotBackends = new Set<Backend>();
    let worstOver = -Infinity;
    for (let i = 0; i < 4000; i++) {
      const hot = random() < 0.8;
      const picked = hash.pick(pool, withKey(hot ? 'hot' : `cold-${i}`))!;
      addInFlight(picked);
      inFlight.push(picked);
      if (hot) hotBackends.add(picked);
      const mean = inFlight.length / pool.length; // this request included
      worstOver = Math.max(worstOver, picked.activeRequests - Math.ceil(1.25 * mean));
      if (inFlight.length > 40) addInFlight(inFlight.splice(Math.floor(random() * inFlight.length), 1)[0], -1);
    }
    return { worstOver, hotSpread: hotBackends.size };
  }

  it('with factor 1.25 and one hot key, no backend exceeds ⌈1.25 × mean⌉ in-flight', () => {
    const bounded = hotKeyRun(1.25);
    expect(bounded.worstOver).toBeLessThanOrEqual(0);
    expect(bounded.hotSpread).toBeGreaterThan(1); // the hot key overflowed to the next on the ring
    // Without the bound the same traffic piles onto the hot key's backend.
    const unbounded = hotKeyRun(0);
    expect(unbounded.worstOver).toBeGreaterThan(0);
    expect(unbounded.hotSpread).toBe(1);
  });

  it('a request without the key goes round robin and is counted', () => {
    const hash = new ConsistentHash('cookie:sid', 0);
    const pool = backends(3);
    const picks = Array.from({ length: 6 }, () => pool.indexOf(hash.pick(pool, plain())!));
    expect(picks).toEqual([0, 1, 2, 0, 1, 2]);
    expect(hash.fallbacks).toBe(6);
    hash.pick(pool, { clientIp: '', url: '/', headers: { cookie: 'sid=abc' } });
    expect(hash.fallbacks).toBe(6);
  });

  describe('request keys', () => {
    const target = (spec: string, request: RequestInfo, pool = backends(10)) =>
      new ConsistentHash(spec, 0).pick(pool, request);
    const fallback = (spec: string, request: RequestInfo) => {
      const hash = new ConsistentHash(spec, 0);
      hash.pick(backends(3), request);
      return hash.fallbacks === 1;
    };
    const req = (url: string, headers: RequestInfo['headers'] = {}, clientIp = '10.0.0.1'): RequestInfo => ({
      clientIp,
      url,
      headers,
    });

    it('cookie:NAME finds the one cookie, whatever surrounds it, and not a name that merely ends with it', () => {
      const pool = backends(10);
      const a = target('cookie:sid', req('/', { cookie: 'sid=user-42' }), pool);
      expect(target('cookie:sid', req('/', { cookie: 'theme=dark; sid=user-42; lang=en' }), pool)).toBe(a);
      expect(target('cookie:sid', req('/', { cookie: 'xsid=1;  sid=user-42 ' }), pool)).toBe(a);
      expect(fallback('cookie:sid', req('/', { cookie: 'xsid=user-42; sidx=1' }))).toBe(true);
      expect(fallback('cookie:sid', req('/', { cookie: 'sid=' }))).toBe(true);
      expect(fallback('cookie:sid', req('/'))).toBe(true);
    });

    it('query:NAME reads the raw value of the first NAME= parameter', () => {
      const pool = backends(10);
      const a = target('query:id', req('/a?id=7'), pool);
      expect(target('query:id', req('/other?x=1&id=7&y=2'), pool)).toBe(a);
      expect(target('query:id', req('/b?id=7#frag'), pool)).toBe(a);
      expect(fallback('query:id', req('/a?xid=7&id'))).toBe(true);
      expect(fallback('query:id', req('/a'))).toBe(true);
    });

    it('path ignores the query; header reads the first of repeated values; ip is the client address', () => {
      const pool = backends(10);
      expect(target('path', req('/cart?x=1'), pool)).toBe(target('path', req('/cart?y=2'), pool));
      expect(target('header:X-Key', req('/', { 'x-key': ['k1', 'k2'] }), pool)).toBe(
        target('header:x-key', req('/', { 'x-key': 'k1' }), pool),
      );
      expect(fallback('header:x-key', req('/', { 'x-key': '' }))).toBe(true);
      expect(target('ip', req('/a', {}, '10.0.0.9'), pool)).toBe(target('ip', req('/b', {}, '10.0.0.9'), pool));
    });

    it('different keys spread over the backends', () => {
      const pool = backends(4);
      for (const spec of ['path', 'query:id', 'cookie:sid', 'ip']) {
        const hash = new ConsistentHash(spec, 0);
        const used = new Set(
          Array.from({ length: 200 }, (_, i) =>
            hash.pick(pool, req(`/p${i}?id=${i}`, { cookie: `sid=${i}` }, `10.0.${i >> 8}.${i & 255}`)),
          ),
        );
        expect(hash.fallbacks).toBe(0);
        expect(used.size).toBe(4);
      }
    });
  });

  it('options are checked by the registry', () => {
    expect(createAlgorithm('hash', { key: 'query:id', balanceFactor: 1.5 })).toBeInstanceOf(ConsistentHash);
    expect(() => createAlgorithm('hash', { key: 'cookie' })).toThrow(/^key: expected ip, path/);
    expect(() => createAlgorithm('hash', { balanceFactor: 0.9 })).toThrow(/^balanceFactor: expected 0 \(off\)/);
    expect(() => createAlgorithm('hash', { other: 1 })).toThrow(/unknown option "other" for hash/);
  });
});
