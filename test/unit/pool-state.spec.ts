import { Test } from '@nestjs/testing';
import {
  type Backend,
  DEFAULT_LATENCY_DECAY_MS,
  POOL_CLOCK,
  type PoolEvent,
  PoolModule,
  ServerPool,
} from '@loadex/pool';

const url = (port: number) => new URL(`http://127.0.0.1:${port}`);

/** A pool on a clock the test moves by hand. */
function poolAt(startMs = 1000): { pool: ServerPool; advance: (ms: number) => void } {
  let now = startMs;
  return { pool: new ServerPool(() => now), advance: (ms) => (now += ms) };
}

function healthEvents(pool: ServerPool): Extract<PoolEvent, { type: 'health' }>[] {
  const events: Extract<PoolEvent, { type: 'health' }>[] = [];
  pool.on((e) => {
    if (e.type === 'health') events.push(e);
  });
  return events;
}

describe('ServerPool.recordCheck (active health, rise/fall)', () => {
  it('records when and how long, and counts consecutive passes and failures', () => {
    const pool = new ServerPool();
    const a = pool.add(url(1)).backend;
    expect([a.lastCheckAt, a.lastCheckMs]).toEqual([null, null]);
    const before = Date.now();
    pool.recordCheck(a, true, 1.5, 'HTTP 200', 1, 1);
    pool.recordCheck(a, true, 2.5, 'HTTP 200', 1, 1);
    expect(a.lastCheckAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(a.lastCheckMs).toBe(2.5);
    expect([a.consecutivePasses, a.consecutiveFailures]).toEqual([2, 0]);
    pool.recordCheck(a, false, 3, 'HTTP 500', 1, 3);
    expect([a.consecutivePasses, a.consecutiveFailures]).toEqual([0, 1]);
  });

  it('takes a backend down after `fall` failures in a row and up after `rise` passes in a row', () => {
    const pool = new ServerPool();
    const a = pool.add(url(1)).backend;
    const events = healthEvents(pool);
    pool.recordCheck(a, false, 1, 'ECONNREFUSED', 2, 3);
    pool.recordCheck(a, false, 1, 'ECONNREFUSED', 2, 3);
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 3); // the run of failures starts again
    pool.recordCheck(a, false, 1, 'ECONNREFUSED', 2, 3);
    pool.recordCheck(a, false, 1, 'ETIMEDOUT', 2, 3);
    expect(a.healthy).toBe(true);
    pool.recordCheck(a, false, 1, 'HTTP 503', 2, 3);
    expect(a.healthy).toBe(false);
    expect(pool.routable()).toEqual([]);
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 3);
    expect(a.healthy).toBe(false);
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 3);
    expect(a.healthy).toBe(true);
    expect(pool.routable()).toEqual([a]);
    expect(events.map((e) => [e.healthy, e.reason])).toEqual([
      [false, '3 failed check(s), last: HTTP 503'],
      [true, '2 passing check(s)'],
    ]);
  });
});

describe('ServerPool.reportFailure (passive health)', () => {
  it('counts every failure and marks a healthy backend down only when asked', () => {
    const pool = new ServerPool();
    const a = pool.add(url(1)).backend;
    const events = healthEvents(pool);
    pool.reportFailure(a, 'timeout', false);
    expect([a.failures, a.healthy]).toEqual([1, true]);
    pool.recordCheck(a, true, 1, 'HTTP 200', 1, 1);
    pool.reportFailure(a, 'refused', true);
    expect([a.failures, a.healthy, a.consecutivePasses]).toEqual([2, false, 0]);
    pool.reportFailure(a, 'reset', true); // already down: counted, no second event
    expect(a.failures).toBe(3);
    expect(events.map((e) => [e.healthy, e.reason])).toEqual([[false, 'refused while proxying']]);
  });

  it('a backend marked down by traffic must earn its `rise` passes again', () => {
    const pool = new ServerPool();
    const a = pool.add(url(1)).backend;
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 1);
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 1);
    pool.reportFailure(a, 'reset', true);
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 1);
    expect(a.healthy).toBe(false);
    pool.recordCheck(a, true, 1, 'HTTP 200', 2, 1);
    expect(a.healthy).toBe(true);
  });
});

describe('ServerPool.recordTtfb (peak-EWMA of the time to first byte)', () => {
  const tau = DEFAULT_LATENCY_DECAY_MS;

  it('is 0 with no sample, and the first sample is taken as it is', () => {
    const { pool } = poolAt();
    const a = pool.add(url(1)).backend;
    expect([a.ttfbEwmaMs, a.ttfbSamples]).toEqual([0, 0]);
    pool.recordTtfb(a, 40);
    expect([a.ttfbEwmaMs, a.ttfbSamples]).toEqual([40, 1]);
  });

  it('a higher sample replaces the value at once (the peak)', () => {
    const { pool, advance } = poolAt();
    const a = pool.add(url(1)).backend;
    pool.recordTtfb(a, 10);
    advance(1);
    pool.recordTtfb(a, 500);
    expect(a.ttfbEwmaMs).toBe(500);
  });

  it('a lower sample pulls the value down with weight 1 - exp(-Δt/τ)', () => {
    const { pool, advance } = poolAt();
    const a = pool.add(url(1)).backend;
    pool.recordTtfb(a, 100);
    advance(tau); // one τ later the old value keeps a weight of 1/e
    pool.recordTtfb(a, 20);
    const expected = 100 * Math.exp(-1) + 20 * (1 - Math.exp(-1));
    expect(a.ttfbEwmaMs).toBeCloseTo(expected, 9);
    pool.recordTtfb(a, 0); // no time passed since the last sample: nothing is forgotten
    expect(a.ttfbEwmaMs).toBeCloseTo(expected, 9);
    expect(a.ttfbSamples).toBe(3);
  });

  it('forgets a spike over a few τ of steady samples', () => {
    const { pool, advance } = poolAt();
    const a = pool.add(url(1)).backend;
    pool.recordTtfb(a, 1000);
    for (let i = 0; i < 50; i++) {
      advance(tau / 10);
      pool.recordTtfb(a, 10);
    }
    // 5 τ later the spike keeps a weight of e^-5 ≈ 0.7 %.
    expect(a.ttfbEwmaMs).toBeCloseTo(10 + 990 * Math.exp(-5), 6);
  });

  it('setLatencyDecay changes τ, and refuses what is not a positive number', () => {
    const { pool, advance } = poolAt();
    expect(pool.latencyDecayMs).toBe(10_000);
    pool.setLatencyDecay(1000);
    expect(pool.latencyDecayMs).toBe(1000);
    const a = pool.add(url(1)).backend;
    pool.recordTtfb(a, 100);
    advance(1000);
    pool.recordTtfb(a, 20);
    expect(a.ttfbEwmaMs).toBeCloseTo(100 * Math.exp(-1) + 20 * (1 - Math.exp(-1)), 9);
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pool.setLatencyDecay(bad)).toThrow(RangeError);
    }
    expect(pool.latencyDecayMs).toBe(1000);
  });

  it('ignores a sample that is not a number of ms >= 0', () => {
    const { pool } = poolAt();
    const a = pool.add(url(1)).backend;
    pool.recordTtfb(a, 30);
    pool.recordTtfb(a, Number.NaN);
    pool.recordTtfb(a, -5);
    expect([a.ttfbEwmaMs, a.ttfbSamples]).toEqual([30, 1]);
  });

  it('keeps one value per backend', () => {
    const { pool } = poolAt();
    const a = pool.add(url(1)).backend;
    const b: Backend = pool.add(url(2)).backend;
    pool.recordTtfb(a, 30);
    expect([b.ttfbEwmaMs, b.ttfbSamples]).toEqual([0, 0]);
  });
});

describe('ServerPool in Nest DI', () => {
  it('runs on performance.now() by default and takes a clock under POOL_CLOCK', async () => {
    const plain = await Test.createTestingModule({ imports: [PoolModule] }).compile();
    const defaultPool = plain.get(ServerPool);
    const a = defaultPool.add(url(1)).backend;
    defaultPool.recordTtfb(a, 5);
    expect(a.ttfbEwmaMs).toBe(5);
    await plain.close();

    let now = 0;
    const clocked = await Test.createTestingModule({
      providers: [ServerPool, { provide: POOL_CLOCK, useValue: () => now }],
    }).compile();
    const pool = clocked.get(ServerPool);
    const b = pool.add(url(1)).backend;
    pool.recordTtfb(b, 100);
    now += DEFAULT_LATENCY_DECAY_MS;
    pool.recordTtfb(b, 0);
    expect(b.ttfbEwmaMs).toBeCloseTo(100 * Math.exp(-1), 9);
    await clocked.close();
  });
});
