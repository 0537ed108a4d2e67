import type { Backend } from '@loadex/pool';
import { z } from 'zod';
import { type Algorithm, defineAlgorithm } from './algorithm';

/**
 * nginx's smooth weighted round robin: every pick, each candidate gains its weight; the one with
 * the most is chosen and pays back the total. Weights 5,1,1 give a a b a c a a — interleaved.
 */
export class WeightedRoundRobin implements Algorithm {
  readonly name = 'weightedroundrobin';
  private readonly current = new WeakMap<Backend, number>();

  pick(candidates: readonly Backend[]): Backend | undefined {
    let best: Backend | undefined;
    let bestCurrent = -Infinity;
    let total = 0;
    for (const backend of candidates) {
      const current = (this.current.get(backend) ?? 0) + backend.effectiveWeight;
      this.current.set(backend, current);
      total += backend.effectiveWeight;
      if (current > bestCurrent) {
        best = backend;
        bestCurrent = current;
      }
    }
    if (best) this.current.set(best, bestCurrent - total);
    return best;
  }
}

export const weightedRoundRobinAlgorithm = defineAlgorithm({
  name: 'weightedroundrobin',
  title: 'Weighted round robin',
  aliases: ['wrr'],
  description: 'Turns in proportion to weight, interleaved (nginx smooth weighted round robin).',
  options: z.strictObject({}),
  create: () => new WeightedRoundRobin(),
});
