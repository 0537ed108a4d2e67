import type { AdminState } from '@loadex/api';
import type { Backend } from './backend';

/** What changed in the pool; the admin API's event stream and the logs are fed from these. */
export type PoolEvent =
  | { type: 'added'; backend: Backend }
  | { type: 'removed'; backend: Backend }
  | { type: 'weight'; backend: Backend; weight: number }
  | { type: 'state'; backend: Backend; state: AdminState }
  | { type: 'health'; backend: Backend; healthy: boolean; reason: string };
