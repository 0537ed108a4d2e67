import {
  ALGORITHMS,
  ALGORITHM_NAMES,
  ActiveAlgorithm,
  type Algorithm,
  createAlgorithm,
  IpHash,
  LeastConnection,
  type RequestInfo,
  resolveAlgorithmName,
  RoundRobin,
  WeightedRoundRobin,
} from '@loadex/algorithms';
import { Backend, ServerPool } from '@loadex/pool';

/** Backends named a, b, c… on distinct origins, with optional weights. */
function backends(n: number, weights: number[] = []): Backend[] {
  return Array.from(
    { length: n },
    (_, i) => new Backend(new URL(`http://${String.fromCharCode(97 + i)}.test:${8000 + i}`), weights[i] ?? 1),
  );
}

/** Backend state changes only through a pool; these backends need not be in it. */
const writer = new ServerPool();

/** `n` requests in flight on `backend`. */
function hold(backend: Backend, n: number): void {
  for (let i = 0; i < n; i++) writer.acquire(backend);
}

/** A request from `clientIp` for `/`. */
function req(clientIp: string): RequestInfo {
  return { clientIp, url: '/', headers: {} };
}

/** The one-letter name of a picked backend ("a" for http://a.test:8000). */
function letter(b: Backend | undefined): string {
  return b ? new URL(b.url).hostname[0] : '-';
}

function picks(algorithm: Algorithm, candidates: readonly Backend[], n: number, clientIp = '10.0.0.1'): string {
  return Array.from({ length: n }, () => letter(algorithm.pick(candidates, req(clientIp)))).join('');
}

function tally(algorithm: Algorithm, candidates: readonly Backend[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const picked = letter(algorithm.pick(candidates, req(`10.0.${i >> 8}.${i & 255}`)));
    counts.set(picked, (counts.get(picked) ?? 0) + 1);
  }
  return counts;
}

describe('algorithm names', () => {
  it.each(ALGORITHMS.flatMap((a) => [a.name, a.name.toUpperCase(), ...a.aliases].map((text) => [text, a.name])))(
    '%s resolves to %s',
    (text, name) => {
      expect(resolveAlgorithmName(text)).toBe(name);
    },
  );

  it('an unknown name resolves to nothing', () => {
    expect(resolveAlgorithmName('fastest')).toBeUndefined();
  });

  it('the factory builds every named algorithm, each a fresh instance', () => {
    for (const name of ALGORITHM_NAMES) {
      const a = createAlgorithm(name);
      expect(a.name).toBe(name);
      expect(createAlgorithm(name)).not.toBe(a);
    }
  });

  it('ActiveAlgorithm swaps the algorithm only when the name changes', () => {
    const active = new ActiveAlgorithm({ name: 'roundrobin' });
    const before = active.current;
    expect(active.use('roundrobin')).toBe(false);
    expect(active.current).toBe(before);
    expect(active.use('iphash')).toBe(true);
    expect(active.name).toBe('iphash');
  });
});

describe.each(ALGORITHM_NAMES.map((n) => [n]))('%s with nothing to choose from', (name) => {
  it('returns undefined for zero candidates', () => {
    expect(createAlgorithm(name).pick([], req('10.0.0.1'))).toBeUndefined();
  });

  it('returns undefined when the pool has backends but all are down', () => {
    const pool = new ServerPool();
    for (const b of backends(3)) pool.setHealthy(pool.add(b.target).backend, false, 'test');
    expect(pool.routable()).toHaveLength(0);
    expect(createAlgorithm(name).pick(pool.routable(), req('10.0.0.1'))).toBeUndefined();
  });

  it('only ever picks a candidate it was given', () => {
    const all = backends(5);
    const candidates = [all[1], all[3]];
    const algorithm = createAlgorithm(name);
    for (let i = 0; i < 200; i++) {
      expect(candidates).toContain(algorithm.pick(candidates, req(`10.1.0.${i}`)));
    }
  });
});

describe('roundrobin', () => {
  it('rotates strictly over the candidates', () => {
    expect(picks(new RoundRobin(), backends(3), 7)).toBe('abcabca');
  });

  it('gives exactly 100 each for 1,000 picks over 10 backends', () => {
    const counts = tally(new RoundRobin(), backends(10), 1000);
    expect([...counts.values()]).toEqual(Array(10).fill(100));
  });

  it('gives exactly 100 each when 100 concurrent clients pick interleaved', async () => {
    const rr: Algorithm = new RoundRobin();
    const pool = backends(10);
    const counts = new Map<string, number>();
    // 100 async clients, each picking 10 times with a yield between picks, interleaving freely.
    await Promise.all(
      Array.from({ length: 100 }, async () => {
        for (let i = 0; i < 10; i++) {
          await Promise.resolve();
          const picked = letter(rr.pick(pool, req('10.0.0.1')));
          counts.set(picked, (counts.get(picked) ?? 0) + 1);
        }
      }),
    );
    expect([...counts.values()]).toEqual(Array(10).fill(100));
  });

  it('keeps rotating when the candidate list shrinks and grows', () => {
    const rr: Algorithm = new RoundRobin();
    const [a, b, c] = backends(3);
    expect(picks(rr, [a, b, c], 2)).toBe('ab');
    expect(picks(rr, [a, b], 4)).toBe('abab');
    expect(picks(rr, [a, b, c], 3)).toBe('cab');
  });
});

describe('weightedroundrobin (smooth, as nginx)', () => {
  it('weights 5,1,1 give a a b a c a a in every cycle of 7', () => {
    const wrr = new WeightedRoundRobin();
    const pool = backends(3, [5, 1, 1]);
    for (let cycle = 0; cycle < 5; cycle++) expect(picks(wrr, pool, 7)).toBe('aabacaa');
  });

  it('interleaves rather than sending blocks: weights 3,1 give a a b a in every cycle, not the block a a a b', () => {
    const sequence = picks(new WeightedRoundRobin(), backends(2, [3, 1]), 40);
    expect(sequence).toBe('aaba'.repeat(10));
  });

  it('is proportional to weight over many picks', () => {
    const counts = tally(new WeightedRoundRobin(), backends(5, [2, 1, 2, 1, 1]), 7000);
    expect(Object.fromEntries(counts)).toEqual({ a: 2000, b: 1000, c: 2000, d: 1000, e: 1000 });
  });

  it('equal weights behave as round robin', () => {
    expect(picks(new WeightedRoundRobin(), backends(3), 6)).toBe('abcabc');
  });

  it('follows a weight change at once', () => {
    const wrr = new WeightedRoundRobin();
    const pool = backends(2, [1, 1]);
    picks(wrr, pool, 2);
    writer.setWeight(pool[0], 3);
    expect(tally(wrr, pool, 400).get('a')).toBe(300);
  });
});

describe('leastconnection', () => {
  it('picks the backend with the fewest active requests', () => {
    const pool = backends(3);
    hold(pool[0], 5);
    hold(pool[1], 1);
    hold(pool[2], 3);
    expect(letter((new LeastConnection() as Algorithm).pick(pool, req('')))).toBe('b');
  });

  it('compares active requests per unit of weight', () => {
    const pool = backends(2, [4, 1]);
    hold(pool[0], 6); // 1.5 per weight
    hold(pool[1], 2); // 2 per weight
    expect(letter((new LeastConnection() as Algorithm).pick(pool, req('')))).toBe('a');
  });

  it('breaks ties by rotation, so an idle pool is spread evenly', () => {
    expect(picks(new LeastConnection(), backends(3), 6)).toBe('abcabc');
  });

  it('with acquire/release through the pool, counters return to zero and the spread stays even', () => {
    const pool = new ServerPool();
    for (const b of backends(4)) pool.add(b.target);
    const lc: Algorithm = new LeastConnection();
    const held: Backend[] = [];
    for (let i = 0; i < 40; i++) {
      const b = lc.pick(pool.routable(), req(''))!;
      pool.acquire(b);
      held.push(b);
    }
    expect(pool.routable().map((b) => b.activeRequests)).toEqual([10, 10, 10, 10]);
    for (const b of held) pool.release(b);
    expect(pool.activeRequests()).toBe(0);
    expect(pool.routable().map((b) => b.totalRequests)).toEqual([10, 10, 10, 10]);
  });

  it('routes around a backend whose requests stay open (a slow one)', () => {
    const pool = backends(10);
    const lc: Algorithm = new LeastConnection();
    const slow = pool[0];
    const counts = new Map<string, number>();
    // Simulated load: every request on the slow backend stays open; the fast ones finish at once.
    for (let i = 0; i < 1000; i++) {
      const b = lc.pick(pool, req(''))!;
      counts.set(letter(b), (counts.get(letter(b)) ?? 0) + 1);
      if (b === slow) writer.acquire(b);
    }
    expect(counts.get('a')).toBeLessThanOrEqual(2);
    expect(counts.get('b')).toBeGreaterThan(100);
  });
});

describe('iphash (rendezvous hashing)', () => {
  const clients = Array.from({ length: 500 }, (_, i) => `192.168.${i >> 8}.${i & 255}`);

  function assignment(algorithm: Algorithm, candidates: readonly Backend[]): Map<string, string> {
    return new Map(clients.map((ip) => [ip, candidates.length ? algorithm.pick(candidates, req(ip))!.url : '']));
  }

  it('maps a client to the same backend every time, and the same across instances', () => {
    const pool = backends(5);
    const first = assignment(new IpHash(), pool);
    expect(assignment(new IpHash(), pool)).toEqual(first);
    expect(assignment(new IpHash(), [...pool].reverse())).toEqual(first);
  });

  it('spreads clients over every backend', () => {
    const used = new Set(assignment(new IpHash(), backends(5)).values());
    expect(used.size).toBe(5);
    const counts = new Map<string, number>();
    for (const url of assignment(new IpHash(), backends(5)).values()) counts.set(url, (counts.get(url) ?? 0) + 1);
    for (const n of counts.values()) expect(n).toBeGreaterThan(50); // 100 expected each
  });

  it('when a backend leaves only its clients move, and they move back when it returns', () => {
    const hash = new IpHash();
    const pool = backends(5);
    const before = assignment(hash, pool);
    const gone = pool[2];
    const after = assignment(
      hash,
      pool.filter((b) => b !== gone),
    );
    let moved = 0;
    for (const ip of clients) {
      if (before.get(ip) === gone.url) {
        expect(after.get(ip)).not.toBe(gone.url);
        moved++;
      } else {
        expect(after.get(ip)).toBe(before.get(ip));
      }
    }
    expect(moved).toBeGreaterThan(0);
    expect(assignment(hash, pool)).toEqual(before);
  });

  it('when a backend joins, clients only move onto it', () => {
    const hash = new IpHash();
    const pool = backends(6);
    const before = assignment(hash, pool.slice(0, 5));
    const after = assignment(hash, pool);
    let moved = 0;
    for (const ip of clients) {
      if (after.get(ip) !== before.get(ip)) {
        expect(after.get(ip)).toBe(pool[5].url);
        moved++;
      }
    }
    // Some clients moved (the newcomer got a share), and only some: the rest stayed where they were.
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(clients.length / 2);
  });
});

describe('concurrent picks', () => {
  it('many interleaved pickers never get undefined while candidates exist', async () => {
    for (const name of ALGORITHM_NAMES) {
      const algorithm = createAlgorithm(name);
      const pool = backends(7, [3, 1, 2, 1, 1, 1, 4]);
      const results = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          await new Promise((r) => setImmediate(r));
          return algorithm.pick(pool, req(`10.9.0.${i % 256}`));
        }),
      );
      expect(results.every((b) => b !== undefined && pool.includes(b))).toBe(true);
    }
  });
});
