import type { Backend } from '@loadex/pool';
import { z } from 'zod';
import { type Algorithm, defineAlgorithm, type SharedPickState } from './algorithm';

/**
 * nginx's smooth weighted round robin: every pick, each candidate gains its weight; the one with
 * the most is chosen and pays back the total. Weights 5,1,1 give a a b a c a a — interleaved.
 */
export class WeightedRoundRobin implements Algorithm {
  readonly name = 'weightedroundrobin';
  private readonly current = new WeakMap<Backend, number>();

  /** With --workers, the current weights live in shared memory (by backend slot), behind a spinlock. */
  constructor(private readonly shared?: SharedPickState) {}

  pick(candidates: readonly Backend[]): Backend | undefined {
    if (this.shared !== undefined) return this.pickShared(candidates, this.shared);
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

  /** The same pick over the shared current weights (nginx's `zone` does it under a spinlock). */
  private pickShared(candidates: readonly Backend[], shared: SharedPickState): Backend | undefined {
    const current = shared.wrrCurrent;
    let best: Backend | undefined;
    let bestCurrent = -Infinity;
    let total = 0;
    shared.lock();
    for (const backend of candidates) {
      const value = current[backend.slot] + backend.effectiveWeight;
      current[backend.slot] = value;
      total += backend.effectiveWeight;
      if (value > bestCurrent) {
        best = backend;
        bestCurrent = value;
      }
    }
    if (best) current[best.slot] = bestCurrent - total;
    shared.unlock();
    return best;
  }
}

export const weightedRoundRobinAlgorithm = defineAlgorithm({
  name: 'weightedroundrobin',
  title: 'Weighted round robin',
  aliases: ['wrr'],
  description: 'Turns in proportion to weight, interleaved (nginx smooth weighted round robin).',
  options: z.strictObject({}),
  create: (_options, deps) => new WeightedRoundRobin(deps.shared),
});
