import { type PoolEvent, ServerPool } from '@loadex/pool';

const url = (port: number) => new URL(`http://127.0.0.1:${port}`);

const POLICY = { consecutive5xx: 5, ejectionMs: 30_000, maxEjectedPercent: 50, flapWindowMs: 10_000 };

/** A pool of `n` backends on a clock the test moves by hand, with outlier detection on. */
function poolOf(n: number, policy = POLICY) {
  let now = 1000;
  const pool = new ServerPool(() => now);
  const backends = Array.from({ length: n }, (_, i) => pool.add(url(i + 1)).backend);
  pool.setOutlierPolicy(policy);
  const outliers: Extract<PoolEvent, { type: 'outlier' }>[] = [];
  pool.on((e) => {
    if (e.type === 'outlier') outliers.push(e);
  });
  return {
    pool,
    backends,
    outliers,
    advance: (ms: number) => {
      now += ms;
      pool.tick();
    },
  };
}

const fail = (pool: ServerPool, backend: Parameters<ServerPool['recordResponse']>[0], times: number) => {
  for (let i = 0; i < times; i++) pool.recordResponse(backend, 500);
};

describe('passive outlier ejection (consecutive 5xx)', () => {
  it('ejects after N 5xx in a row, not after N-1, and a success in between resets the run', () => {
    const { pool, backends, outliers } = poolOf(4);
    const [a] = backends;
    fail(pool, a, 4);
    pool.recordResponse(a, 200);
    fail(pool, a, 4);
    expect(a.ejected).toBe(false);
    expect(pool.routable()).toContain(a);
    pool.recordResponse(a, 503);
    expect(a.ejected).toBe(true);
    expect(pool.routable()).not.toContain(a);
    expect(pool.routable()).toHaveLength(3);
    expect(outliers.map((e) => [e.backend.url, e.ejected])).toEqual([[a.url, true]]);
  });

  it('counts failed attempts (refused, timeout) like 5xx, but not a reset on a reused keep-alive socket that comes alone', () => {
    const { pool, backends, advance } = poolOf(4);
    const [a, b] = backends;
    for (let i = 0; i < 5; i++) pool.reportFailure(a, 'timeout', false);
    expect(a.ejected).toBe(true);
    // One reused-connection reset every 1.5 s: each a race with the backend's idle close.
    for (let i = 0; i < 10; i++) {
      pool.reportFailure(b, 'reset', false);
      advance(1500);
    }
    expect(b.ejected).toBe(false);
    expect(b.healthy).toBe(true);
  });

  it('takes a backend down at the second reset on a reused connection within a second (its connections all broke: it died)', () => {
    const { pool, backends, advance } = poolOf(4);
    const [, b, c] = backends;
    pool.reportFailure(b, 'reset', false);
    expect(b.healthy).toBe(true);
    advance(999);
    pool.reportFailure(b, 'reset', false);
    expect(b.healthy).toBe(false);
    expect(pool.routable()).not.toContain(b);
    // Another backend's reset does not count toward b's, and a timeout is not a reset.
    pool.reportFailure(c, 'timeout', false);
    pool.reportFailure(c, 'reset', false);
    expect(c.healthy).toBe(true);
  });

  it('comes back by itself when the time is up; the k-th ejection in a row lasts k × base, at most 10 ×', () => {
    const { pool, backends, advance } = poolOf(4);
    const [a] = backends;
    const lengths: number[] = [];
    for (let k = 1; k <= 12; k++) {
      fail(pool, a, 5);
      expect(a.ejected).toBe(true);
      expect(a.ejections).toBe(Math.min(k, 10));
      let waited = 0;
      while (a.ejected) {
        advance(1000);
        waited += 1000;
      }
      lengths.push(waited / 30_000);
      expect(pool.routable()).toContain(a);
    }
    expect(lengths).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10]);
  });

  it('the count of ejections in a row resets after a clean ejection time back in the pool', () => {
    const { pool, backends, advance } = poolOf(4);
    const [a] = backends;
    fail(pool, a, 5);
    advance(30_000);
    fail(pool, a, 5);
    expect(a.ejections).toBe(2);
    advance(60_000);
    expect(a.ejected).toBe(false);
    advance(30_000); // a clean base time
    fail(pool, a, 5);
    expect(a.ejections).toBe(1);
  });

  it('never ejects more than --outlier-max-ejected of the pool: beyond it a failing backend stays in', () => {
    const { pool, backends } = poolOf(4); // 50% of 4 = 2
    for (const b of backends) fail(pool, b, 5);
    expect(backends.map((b) => b.ejected)).toEqual([true, true, false, false]);
    expect(pool.routable()).toHaveLength(2);
  });

  it('one backend may always be ejected, even when the share rounds down to none', () => {
    const { pool, backends } = poolOf(3, { ...POLICY, maxEjectedPercent: 10 });
    for (const b of backends) fail(pool, b, 5);
    expect(backends.map((b) => b.ejected)).toEqual([true, false, false]);
  });

  it('--outlier-5xx 0 turns it off', () => {
    const { pool, backends } = poolOf(2, { ...POLICY, consecutive5xx: 0 });
    fail(pool, backends[0], 100);
    expect(backends[0].ejected).toBe(false);
  });

  it('a backend whose active checks flip health 3 times within the window is held down for the ejection time', () => {
    const { pool, backends, advance, outliers } = poolOf(4);
    const [a] = backends;
    pool.recordCheck(a, false, 1, 'HTTP 500', 1, 1); // flip 1: down
    advance(1000);
    pool.recordCheck(a, true, 1, 'HTTP 200', 1, 1); // flip 2: up (two flips: not yet flapping)
    expect(a.ejected).toBe(false);
    advance(1000);
    pool.recordCheck(a, false, 1, 'HTTP 500', 1, 1); // flip 3
    advance(1000);
    pool.recordCheck(a, true, 1, 'HTTP 200', 1, 1); // flip 4, the last three within 10 s
    expect(a.healthy).toBe(true);
    expect(a.ejected).toBe(true);
    expect(outliers.at(-1)?.reason).toMatch(/flapping/);
    advance(30_000);
    expect(a.ejected).toBe(false);
  });

  it('flips spread wider than the window are not flapping', () => {
    const { pool, backends, advance } = poolOf(4);
    const [a] = backends;
    for (let i = 0; i < 6; i++) {
      pool.recordCheck(a, i % 2 === 1, 1, 'x', 1, 1);
      advance(6000);
    }
    expect(a.ejected).toBe(false);
  });
});

describe('slow start', () => {
  it('a backend added later ramps from a tenth of its weight to all of it; the first backends start at full weight', () => {
    const { pool, backends, advance } = poolOf(2);
    pool.setSlowStart(30_000);
    expect(backends.map((b) => b.effectiveWeight)).toEqual([1, 1]);
    const late = pool.add(url(9), 10).backend;
    expect(late.effectiveWeight).toBe(1);
    advance(15_000);
    expect(late.effectiveWeight).toBeCloseTo(5);
    advance(15_000);
    expect(late.effectiveWeight).toBe(10);
  });

  it('a backend that comes back (healthy again, undrained, ejection over) ramps up again', () => {
    const { pool, backends, advance } = poolOf(3);
    pool.setSlowStart(10_000);
    const [a, b, c] = backends;
    pool.setHealthy(a, false, 'test');
    pool.setHealthy(a, true, 'test');
    expect(a.effectiveWeight).toBeCloseTo(0.1);
    pool.setState(b, 'draining');
    pool.setState(b, 'active');
    expect(b.effectiveWeight).toBeCloseTo(0.1);
    fail(pool, c, 5);
    advance(30_000);
    expect(c.ejected).toBe(false);
    expect(c.effectiveWeight).toBeCloseTo(0.1);
    advance(10_000);
    expect([a, b, c].map((x) => x.effectiveWeight)).toEqual([1, 1, 1]);
  });

  it('is off by default: effectiveWeight follows weight', () => {
    const { pool, backends } = poolOf(2);
    pool.setWeight(backends[0], 7);
    pool.setHealthy(backends[0], false, 'test');
    pool.setHealthy(backends[0], true, 'test');
    expect(backends[0].effectiveWeight).toBe(7);
  });
});
