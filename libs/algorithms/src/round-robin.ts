import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, defineAlgorithm, type SharedPickState } from './algorithm';

/** Strict rotation over the routable backends. */
export class RoundRobin implements Algorithm {
  readonly name = 'roundrobin';
  private next = 0;

  /** With --workers, one cursor in shared memory: one exact rotation over every worker thread. */
  constructor(private readonly shared?: SharedPickState) {}

  pick(candidates: readonly Backend[]): Backend | undefined {
    const n = candidates.length;
    if (n === 0) return undefined;
    if (this.shared !== undefined) return candidates[this.shared.nextTurn() % n];
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
  create: (_options, deps) => new RoundRobin(deps.shared),
});
