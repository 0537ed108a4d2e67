import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, type AlgorithmDeps, defineAlgorithm } from './algorithm';

/** A random backend, each with a chance proportional to its weight. */
export class WeightedRandom implements Algorithm {
  readonly name = 'random';

  constructor(private readonly deps: AlgorithmDeps) {}

  pick(candidates: readonly Backend[]): Backend | undefined {
    const n = candidates.length;
    if (n <= 1) return candidates[0];
    let total = 0;
    for (let i = 0; i < n; i++) total += candidates[i].effectiveWeight;
    let point = this.deps.random() * total;
    for (let i = 0; i < n - 1; i++) {
      point -= candidates[i].effectiveWeight;
      if (point < 0) return candidates[i];
    }
    return candidates[n - 1];
  }
}

export const randomAlgorithm = defineAlgorithm({
  name: 'random',
  title: 'Weighted random',
  aliases: ['weightedrandom'],
  description: 'A random backend, with a chance proportional to its weight.',
  options: z.strictObject({}),
  create: (_options, deps) => new WeightedRandom(deps),
});
