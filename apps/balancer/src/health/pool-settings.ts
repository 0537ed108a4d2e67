import type { ServerPool } from '@loadex/pool';
import type { BalancerConfig } from '../config/balancer-config';

// Apart from PoolMaintenance so a worker thread takes these without @nestjs/schedule (and cron, luxon).

/**
 * The pool's outlier-detection, slow-start and latency-decay settings from the config; the main
 * thread's pool and each worker's replica take the same ones (a replica does not judge flapping).
 */
export function applyPoolSettings(pool: ServerPool, config: BalancerConfig, flapWindowMs: number): void {
  pool.setOutlierPolicy({
    consecutive5xx: config.outlier5xx,
    ejectionMs: config.outlierEjectionMs,
    maxEjectedPercent: config.outlierMaxEjectedPercent,
    flapWindowMs,
  });
  pool.setSlowStart(config.slowStartMs);
  pool.setLatencyDecay(config.ewmaDecay as number);
}

/** How often ejections are ended and slow-start ramps advanced. */
export const POOL_TICK_MS = 250;
