import type { AlgorithmDeps } from '@loadex/algorithms';

/** mulberry32: a small seeded PRNG, so every "random" pick in the algorithm tests is fixed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deps with a seeded random source and a clock the test moves by hand. */
export function testDeps(seed: number): AlgorithmDeps & { time: number } {
  const random = seededRandom(seed);
  const deps = { time: 0, random, now: () => deps.time };
  return deps;
}
