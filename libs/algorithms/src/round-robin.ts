import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, defineAlgorithm } from './algorithm';

/** Strict rotation over the routable backends. */
export class RoundRobin implements Algorithm {
  readonly name = 'roundrobin';
  private next = 0;

  pick(candidates: readonly Backend[]): Backend | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    if (this.next >= n) this.next = 0;
    return candidates[this.next++];
  }
}

export const roundRobinAlgorithm = defineAlgorithm({
  name: 'roundrobin',
  title: 'Round robin',
  aliases: ['rr'],
  description: 'Each request goes to the next backend in turn.',
  options: z.strictObject({}),
  create: () => new RoundRobin(),
});
