import type { AlgorithmInfo } from '@loadex/algorithms';
import { UsageError } from '../errors/cli-failure';
import { HASH_KEY_OPTION } from './compare-scenarios';

/**
 * The algorithms `--algorithms a,b,c` names (names or aliases, any case), as the balancer's own
 * registry (GET /api/algorithms) knows them, in the order given, each once; without the option,
 * every entry. An unknown name is a usage error naming it and what the balancer knows.
 */
export function selectAlgorithms(
  requested: readonly string[] | undefined,
  catalog: readonly AlgorithmInfo[],
): AlgorithmInfo[] {
  if (requested === undefined) return [...catalog];
  const bySpelling = new Map<string, AlgorithmInfo>();
  for (const a of catalog) for (const spelling of [a.name, ...a.aliases]) bySpelling.set(spelling.toLowerCase(), a);
  const chosen: AlgorithmInfo[] = [];
  for (const name of requested) {
    const found = bySpelling.get(name.toLowerCase());
    if (!found) {
      const known = catalog.map((a) => (a.aliases.length ? `${a.name} (${a.aliases.join(', ')})` : a.name)).join(', ');
      throw new UsageError(`--algorithms: unknown algorithm "${name.slice(0, 40)}": the balancer knows ${known}`);
    }
    if (!chosen.includes(found)) chosen.push(found);
  }
  return chosen;
}

/**
 * The options an algorithm runs with in a comparison: one that hashes on a request key (an option
 * called `key`, like `hash`'s) hashes on the `x-user` header every request carries; the others
 * keep their defaults.
 */
export function comparisonOptions(algorithm: AlgorithmInfo): Record<string, unknown> | undefined {
  return algorithm.options.some((o) => o.name === 'key') ? { key: HASH_KEY_OPTION } : undefined;
}
