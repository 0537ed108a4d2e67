import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { applyPoolSettings, POOL_TICK_MS } from '../health/pool-settings';

/**
 * A worker's pool settings and clock: slow start ramps its replica's weights as the main thread's
 * do; outlier runs are counted in shared memory (the main thread decides and ends ejections).
 */
@Injectable()
export class WorkerTick implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: ServerPool,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  onApplicationBootstrap(): void {
    applyPoolSettings(this.pool, this.config, 0);
    this.timer = setInterval(() => this.pool.tick(), POOL_TICK_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
