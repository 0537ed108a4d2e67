import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

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
    this.pool.setOutlierPolicy({
      consecutive5xx: this.config.outlier5xx,
      ejectionMs: this.config.outlierEjectionMs,
      maxEjectedPercent: this.config.outlierMaxEjectedPercent,
      // Three flips within ten health intervals: a backend that cannot make up its mind.
      flapWindowMs: 10 * this.config.healthIntervalMs,
    });
    this.pool.setSlowStart(this.config.slowStartMs);
    this.pool.setLatencyDecay(this.config.ewmaDecay as number);
  }

  @Interval(POOL_TICK_MS)
  tick(): void {
    this.pool.tick();
  }
}
