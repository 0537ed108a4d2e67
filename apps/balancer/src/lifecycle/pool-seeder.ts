import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';

/** Puts the configured backends into the pool at start-up. */
@Injectable()
export class PoolSeeder implements OnModuleInit {
  constructor(
    private readonly pool: ServerPool,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  onModuleInit(): void {
    for (const { url, weight } of this.config.backends) this.pool.add(url, weight);
  }
}
