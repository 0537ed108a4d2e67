import { z } from 'zod';
import type { Backend } from '@loadex/pool';
import { type Algorithm, type AlgorithmDeps, defineAlgorithm } from './algorithm';
import { pickOfTwo } from './two-choices';

const inFlightPerWeight = (backend: Backend): number => backend.activeRequests / backend.effectiveWeight;

/**
 * Power of two choices on load (as Envoy, Traefik and Linkerd default to): two random distinct
 * candidates, the one with fewer in-flight requests per unit of weight wins.
 */
export class PowerOfTwoChoices implements Algorithm {
  readonly name = 'p2c';

  constructor(private readonly deps: AlgorithmDeps) {}

  pick(candidates: readonly Backend[]): Backend | undefined {
    return pickOfTwo(candidates, this.deps, inFlightPerWeight);
  }
}

export const p2cAlgorithm = defineAlgorithm({
  name: 'p2c',
  title: 'Power of two choices',
  aliases: ['power-of-two'],
  description: 'Two random backends; the one with fewer in-flight requests per unit of weight wins.',
  options: z.strictObject({}),
  create: (_options, deps) => new PowerOfTwoChoices(deps),
});
