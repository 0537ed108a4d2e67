import type { Backend } from '@loadex/pool';
import { z } from 'zod';
import { type Algorithm, defineAlgorithm, type SharedPickState } from './algorithm';

/**
 * Fewest in-flight requests per unit of weight (active / weight); ties are broken by rotation, so
 * an idle pool is still spread evenly.
 */
export class LeastConnection implements Algorithm {
  readonly name = 'leastconnection';
  private offset = 0;

  /** With --workers, the tie-break rotation is shared too (the in-flight counts always are). */
  constructor(private readonly shared?: SharedPickState) {}

  pick(candidates: readonly Backend[]): Backend | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    let start: number;
    if (this.shared !== undefined) start = this.shared.nextOffset() % n;
    else {
      if (this.offset >= n) this.offset = 0;
      start = this.offset++;
    }
    let best: Backend | undefined;
    let bestLoad = Infinity;
    for (let i = 0; i < n; i++) {
      const backend = candidates[(start + i) % n];
      const load = backend.activeRequests / backend.effectiveWeight;
      if (load < bestLoad) {
        best = backend;
        bestLoad = load;
      }
    }
    return best;
  }
}

export const leastConnectionAlgorithm = defineAlgorithm({
  name: 'leastconnection',
  title: 'Least connection',
  aliases: ['lc', 'leastconnections'],
  description: 'The backend with the fewest in-flight requests per unit of weight; ties in turn.',
  options: z.strictObject({}),
  create: (_options, deps) => new LeastConnection(deps.shared),
});
