import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { applyPoolSettings, POOL_TICK_MS } from './pool-settings';

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
