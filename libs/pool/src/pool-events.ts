import type { AdminState } from '@loadex/api';
import type { Backend } from './backend';

/** What changed in the pool; the admin API's event stream and the logs are fed from these. */
export type PoolEvent =
  | { readonly type: 'added'; readonly backend: Backend }
  | { readonly type: 'removed'; readonly backend: Backend }
  | { readonly type: 'weight'; readonly backend: Backend; readonly weight: number }
  | { readonly type: 'state'; readonly backend: Backend; readonly state: AdminState }
  | { readonly type: 'health'; readonly backend: Backend; readonly healthy: boolean; readonly reason: string }
  | { readonly type: 'outlier'; readonly backend: Backend; readonly ejected: boolean; readonly reason: string };
