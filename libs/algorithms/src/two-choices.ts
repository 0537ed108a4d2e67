import type { Backend } from '@loadex/pool';
import type { AlgorithmDeps } from './algorithm';

/**
 * Power of two choices: draws two distinct candidates uniformly at random and keeps the one with
 * the lower `cost`; on a tie the first drawn wins, so an idle pool is spread evenly. Shared by
 * p2c and ewma, which differ only in the cost.
 */
export function pickOfTwo(
  candidates: readonly Backend[],
  deps: AlgorithmDeps,
  cost: (backend: Backend) => number,
): Backend | undefined {
  const n = candidates.length;
  if (n <= 1) return candidates[0];
  const i = Math.floor(deps.random() * n);
  let j = Math.floor(deps.random() * (n - 1));
  if (j >= i) j++;
  const first = candidates[i];
  const second = candidates[j];
  return cost(second) < cost(first) ? second : first;
}
