import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { Inject } from '@nestjs/common';
import { POOL_TICK_MS } from '../health/pool-maintenance';

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
    this.pool.setOutlierPolicy({
      consecutive5xx: this.config.outlier5xx,
      ejectionMs: this.config.outlierEjectionMs,
      maxEjectedPercent: this.config.outlierMaxEjectedPercent,
      flapWindowMs: 0,
    });
    this.pool.setSlowStart(this.config.slowStartMs);
    this.pool.setLatencyDecay(this.config.ewmaDecay as number);
    this.timer = setInterval(() => this.pool.tick(), POOL_TICK_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
