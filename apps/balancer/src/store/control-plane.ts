import type { AlgorithmName } from '@loadex/algorithms';
import type { Backend } from '@loadex/pool';
import type { AdminState } from '@loadex/api';

/** The algorithm as the control state keeps it: a name and its options (none yet). */
export interface AlgorithmChoice {
  name: AlgorithmName;
  options: Record<string, unknown>;
}

export interface BackendChange {
  weight?: number;
  state?: AdminState;
}

/**
 * The one way the admin API changes the control state (backends, weights, drain states,
 * algorithm). Without `--store` the change is made to this process's pool at once
 * (`LocalControlPlane`); with `--store` it is made in Redis first, and the promise resolves only
 * once Redis confirmed it and this process applied it (`RedisControlPlane`). Either way the promise
 * settles after the local pool reflects the change, so the answer can be read from the pool.
 *
 * Errors: `PoolLimitError` (the pool is full), `StoreUnavailableError` (the change was not made).
 */
export abstract class ControlPlane {
  /** Adds `url` (an origin); an existing one gets `weight` if given. The backend as it is now. */
  abstract addBackend(url: string, weight: number | undefined): Promise<{ backend: Backend; created: boolean }>;

  /** Changes weight and/or drain state; undefined when there is no such backend. */
  abstract updateBackend(url: string, change: BackendChange): Promise<Backend | undefined>;

  /** Removes the backend; the removed one, or undefined when there was none. */
  abstract removeBackend(url: string): Promise<Backend | undefined>;

  abstract useAlgorithm(algorithm: AlgorithmChoice): Promise<void>;
}
