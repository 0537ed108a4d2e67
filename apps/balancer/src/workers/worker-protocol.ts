import type { BalancerConfig } from '../config/balancer-config';
import type { AdminState } from '@loadex/api';
import type { AlgorithmOptions } from '@loadex/algorithms';

/** A backend as a worker's replica pool receives it. */
export interface ReplicatedBackend {
  readonly url: string;
  readonly weight: number;
  readonly slot: number;
  readonly state: AdminState;
  readonly healthy: boolean;
  readonly ejected: boolean;
}

/** One control-plane change, decided on the main thread and applied by every worker in order. */
export type PoolChange =
  | { readonly type: 'added'; readonly backend: ReplicatedBackend }
  | { readonly type: 'removed'; readonly url: string }
  | { readonly type: 'weight'; readonly url: string; readonly weight: number }
  | { readonly type: 'state'; readonly url: string; readonly state: AdminState }
  | { readonly type: 'health'; readonly url: string; readonly healthy: boolean; readonly reason: string }
  | { readonly type: 'outlier'; readonly url: string; readonly ejected: boolean; readonly reason: string }
  | { readonly type: 'algorithm'; readonly name: string; readonly options: AlgorithmOptions };

/** The injection token of this worker's `WorkerStart`. */
export const WORKER_START = Symbol('WORKER_START');

/** What the main thread hands a worker when it starts it. */
export interface WorkerStart {
  /** The main thread's validated configuration: a worker never parses flags or files itself. */
  readonly config: BalancerConfig;
  readonly row: number;
  readonly workers: number;
  readonly slots: SharedArrayBuffer;
  readonly capacity: number;
  readonly ring: SharedArrayBuffer;
  /** The proxy port, resolved (the first worker's when --port 0). */
  readonly port: number;
  /** With --admin-port unset: the main thread's private admin listener the worker relays admin paths to. */
  readonly relay: { readonly port: number; readonly secret: string } | null;
  /** The pool and algorithm as of `version`. */
  readonly version: number;
  readonly backends: readonly ReplicatedBackend[];
  readonly algorithm: { readonly name: string; readonly options: AlgorithmOptions };
}

/** Main thread → worker. */
export type ToWorker =
  { readonly type: 'change'; readonly version: number; readonly change: PoolChange } | { readonly type: 'drain' };

/** The client-limit events a worker's listener counts (rare: one message each). */
export type ClientLimitEvent = 'header' | 'idle' | 'rejected';

/** Worker → main thread: never per request. */
export type FromWorker =
  | { readonly type: 'ready'; readonly port: number; readonly threadId: number }
  | { readonly type: 'ack'; readonly version: number }
  | { readonly type: 'down'; readonly slot: number; readonly reason: string }
  | { readonly type: 'outlier-run'; readonly slot: number; readonly reason: string }
  | { readonly type: 'client-limit'; readonly event: ClientLimitEvent };
