import type { AlgorithmName } from '@loadex/algorithms';

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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  // NEW (issue 13)
  /** The forwarding engine behind the UpstreamTransport seam. */
  engine: ForwardingEngine;
}

// NEW (issue 13)
export type ForwardingEngine = 'undici' | 'hpm';

export const BALANCER_CONFIG = Symbol('BALANCER_CONFIG');
