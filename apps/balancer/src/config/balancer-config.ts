import type { AlgorithmName } from '@loadex/algorithms';
import type { StoreUrl } from '../store/store-url';

export interface BackendSpec {
  url: URL;
  weight: number;
}

/** The balancer's settings after flags, environment and config file are merged and validated. */
export interface BalancerConfig {
  port: number;
  host: string;
  backends: BackendSpec[];
  algorithm: AlgorithmName;
  healthIntervalMs: number;
  healthPath: string;
  healthTimeoutMs: number;
  healthRise: number;
  healthFall: number;
  /** Attempts after the first; `null` means every routable backend once. */
  retries: number | null;
  upstreamTimeoutMs: number;
  shutdownTimeoutMs: number;
  trustProxy: boolean;
  adminPort: number | null;
  adminToken: string | null;
  stateFile: string | null;
  /** CIDRs whose clients may call admin mutations. */
  adminAllow: string[];
  /** Read-only admin routes need the same client check and token as mutations. */
  adminProtectReads: boolean;
  lab: boolean;
  // NEW (issue 17): the replica store.
  /** `--store`: the Redis that holds the shared control state; null without one. */
  store: StoreUrl | null;
  /** `--instance`: this replica's name in the store (default hostname:port). */
  instance: string;
  /** `--store-optional`: start from --backends when the store is unreachable and keep trying. */
  storeOptional: boolean;
  // END NEW (issue 17)
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export const BALANCER_CONFIG = Symbol('BALANCER_CONFIG');
