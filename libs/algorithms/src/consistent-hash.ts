import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, defineAlgorithm, type RequestInfo } from './algorithm';
import { fmix, fnv1a } from './hashing';
import { HASH_KEY_PATTERN, HASH_KEY_RULE, NO_KEY, requestKeyHasher, type RequestKeyHasher } from './request-key';

/** Ring points per backend of average weight (ketama's 160): enough for a spread within a few %. */
const POINTS_PER_BACKEND = 160;

/** The ring, built once per candidate set: sorted point hashes and the backend owning each. */
interface Ring {
  readonly source: readonly Backend[];
  readonly weights: readonly number[];
  readonly members: ReadonlySet<Backend>;
  readonly points: Uint32Array;
  readonly owners: readonly Backend[];
}

const EMPTY_RING: Ring = { source: [], weights: [], members: new Set(), points: new Uint32Array(0), owners: [] };

/**
 * Consistent hashing of a request key on a ring with virtual nodes (ketama), weights honoured by
 * the number of points. The ring is rebuilt only when the pool hands out a new candidate array or a
 * weight changes, never per request. With `balanceFactor` F > 0 the loads are bounded (Google's
 * consistent hashing with bounded loads): a backend already at ⌈F × its share of the in-flight
 * requests, this one included⌉ is passed over for the next one on the ring. A request without the
 * key goes round robin and is counted in `fallbacks`.
 */
export class ConsistentHash implements Algorithm {
  readonly name = 'hash';
  /** Requests that had no key and went round robin. */
  fallbacks = 0;
  private ring: Ring = EMPTY_RING;
  /** A candidate array seen once but not built: a retry's subset, or a new pool set seen once. */
  private pending: readonly Backend[] | null = null;
  private next = 0;
  private readonly keyOf: RequestKeyHasher;

  constructor(
    key: string,
    private readonly balanceFactor: number,
  ) {
    this.keyOf = requestKeyHasher(key);
  }

  pick(candidates: readonly Backend[], request: RequestInfo): Backend | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    const key = this.keyOf(request);
    if (key === NO_KEY) {
      this.fallbacks++;
      if (this.next >= n) this.next = 0;
      return candidates[this.next++];
    }
    if (n === 1) return candidates[0];
    const filtered = !this.usesRingOf(candidates);
    const ring = this.ring;
    const points = ring.points;
    const start = firstAtOrAfter(points, key);
    const capacity = this.balanceFactor > 0 ? this.capacityOf(candidates) : 0;
    for (let step = 0; step < points.length; step++) {
      const backend = ring.owners[(start + step) % points.length];
      if (filtered && !candidates.includes(backend)) continue;
      if (capacity === 0 || backend.activeRequests < Math.ceil(capacity * backend.effectiveWeight)) return backend;
    }
    return candidates[0];
  }

  /**
   * True when the ring was built from exactly these candidates. A strict subset of the ring (a
   * retry's untried backends, or the pool after a removal) is served from the current ring with
   * the missing backends skipped, which places every key exactly where a rebuilt ring would; seen
   * a second time it is the pool's new set, and the ring is rebuilt from it.
   */
  private usesRingOf(candidates: readonly Backend[]): boolean {
    const ring = this.ring;
    if (candidates === ring.source) {
      if (weightsMatch(candidates, ring.weights)) return true;
    } else if (candidates !== this.pending && isStrictSubset(candidates, ring)) {
      this.pending = candidates;
      return false;
    }
    this.ring = buildRing(candidates);
    this.pending = null;
    return true;
  }

  /** F × (in-flight + 1) / total weight: times a backend's weight, its bound before rounding up. */
  private capacityOf(candidates: readonly Backend[]): number {
    let inFlight = 1;
    let weight = 0;
    for (let i = 0; i < candidates.length; i++) {
      inFlight += candidates[i].activeRequests;
      weight += candidates[i].effectiveWeight;
    }
    return (this.balanceFactor * inFlight) / weight;
  }
}

function weightsMatch(candidates: readonly Backend[], weights: readonly number[]): boolean {
  for (let i = 0; i < candidates.length; i++) if (candidates[i].effectiveWeight !== weights[i]) return false;
  return true;
}

function isStrictSubset(candidates: readonly Backend[], ring: Ring): boolean {
  if (candidates.length >= ring.source.length) return false;
  for (let i = 0; i < candidates.length; i++) if (!ring.members.has(candidates[i])) return false;
  return weightsMatch(ring.source, ring.weights);
}

function buildRing(candidates: readonly Backend[]): Ring {
  let totalWeight = 0;
  for (const backend of candidates) totalWeight += backend.effectiveWeight;
  const entries: { hash: number; owner: Backend }[] = [];
  for (const backend of candidates) {
    const count = Math.max(
      1,
      Math.round((POINTS_PER_BACKEND * candidates.length * backend.effectiveWeight) / totalWeight),
    );
    for (let i = 0; i < count; i++) entries.push({ hash: fmix(fnv1a(`${backend.url}#${i}`)), owner: backend });
  }
  // Ties (a 32-bit collision) are ordered by URL, so every instance builds the same ring.
  entries.sort((a, b) => a.hash - b.hash || (a.owner.url < b.owner.url ? -1 : 1));
  return {
    source: candidates,
    weights: candidates.map((b) => b.effectiveWeight),
    members: new Set(candidates),
    points: Uint32Array.from(entries, (e) => e.hash),
    owners: entries.map((e) => e.owner),
  };
}

/** Index of the first point ≥ hash, wrapping to 0 past the last. */
function firstAtOrAfter(points: Uint32Array, hash: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid] < hash) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

const BALANCE_RULE = 'expected 0 (off) or a number from 1 to 100, e.g. 1.25';

export const hashAlgorithm = defineAlgorithm({
  name: 'hash',
  title: 'Consistent hash',
  aliases: ['consistenthash', 'chash'],
  description:
    'The same request key (client address, path, header, cookie or query parameter) goes to the same backend on a consistent-hash ring, optionally with bounded loads.',
  options: z.strictObject({
    key: z
      .string({ error: HASH_KEY_RULE })
      .regex(HASH_KEY_PATTERN, { error: HASH_KEY_RULE })
      .default('ip')
      .meta({ description: 'what is hashed: ip, path, header:NAME, cookie:NAME or query:NAME (--hash-key)' }),
    balanceFactor: z
      .number({ error: BALANCE_RULE })
      .refine((f) => f === 0 || (f >= 1 && f <= 100), { error: BALANCE_RULE })
      .default(0)
      .meta({
        description: 'bounded loads: no backend above ⌈F × mean in-flight⌉, 0 = off (--hash-balance-factor)',
      }),
  }),
  create: (options) => new ConsistentHash(options.key, options.balanceFactor),
});
