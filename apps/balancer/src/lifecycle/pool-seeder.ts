import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { StartupPool } from '../state/startup-pool';

/**
 * Puts the configured backends into the pool at start-up, merged with the state file when there is
 * one (see `StartupPool`), and restores the saved algorithm with its options.
 */
@Injectable()
export class PoolSeeder implements OnModuleInit {
  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly startup: StartupPool,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.store) return; // NEW (issue 17): the replica store fills the pool (StoreSync)
    const plan = await this.startup.plan();
    for (const { url, weight, state } of plan.backends) {
      const { backend } = this.pool.add(url, weight);
      if (state !== 'active') this.pool.setState(backend, state);
    }
    this.algorithm.use(plan.algorithm, plan.algorithmOptions);
  }
}
