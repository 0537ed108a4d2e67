import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, defineAlgorithm } from './algorithm';

/**
 * Lowest expected wait: peak-EWMA time to first byte × (in-flight + 1) / weight, as NGINX Plus's
 * least_time. A backend with no sample yet costs 0, so it is measured first; ties are broken by
 * rotation, so an idle (or unmeasured) pool is spread evenly.
 */
export class LeastTime implements Algorithm {
  readonly name = 'leasttime';
  private offset = 0;

  pick(candidates: readonly Backend[]): Backend | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    if (this.offset >= n) this.offset = 0;
    const start = this.offset++;
    let best: Backend | undefined;
    let bestCost = Infinity;
    for (let i = 0; i < n; i++) {
      const backend = candidates[(start + i) % n];
      const cost = (backend.ttfbEwmaMs * (backend.activeRequests + 1)) / backend.effectiveWeight;
      if (cost < bestCost) {
        best = backend;
        bestCost = cost;
      }
    }
    return best;
  }
}

export const leastTimeAlgorithm = defineAlgorithm({
  name: 'leasttime',
  title: 'Least time',
  aliases: ['least-time'],
  description: 'The backend with the lowest EWMA time to first byte × (in-flight + 1) / weight; ties in turn.',
  options: z.strictObject({}),
  create: () => new LeastTime(),
});
