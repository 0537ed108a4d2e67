import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

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

/**
 * Gives the pool its outlier-detection, slow-start and latency-decay settings, once the pool has
 * its first backends (so they start at full weight), and moves the pool's time-based state along.
 */
@Injectable()
export class PoolMaintenance implements OnApplicationBootstrap {
  constructor(
    private readonly pool: ServerPool,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Three flips within ten health intervals: a backend that cannot make up its mind.
    applyPoolSettings(this.pool, this.config, 10 * this.config.healthIntervalMs);
  }

  @Interval(POOL_TICK_MS)
  tick(): void {
    this.pool.tick();
  }
}
