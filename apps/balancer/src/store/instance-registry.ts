import { Inject, Injectable } from '@nestjs/common';
import type { InstancesView } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { StatsCollector } from '../stats/stats-collector';
import { InstanceDirectory } from './instance-directory';
import { StoreConnection } from './store-connection';
import { StoreSync } from './store-sync';

/** What `GET /api/instances` answers: the live replicas and what each sees. */
export abstract class InstanceRegistry {
  abstract view(): Promise<InstancesView>;
}

/** Without `--store`: this process is the only instance. */
@Injectable()
export class LocalInstanceRegistry extends InstanceRegistry {
  constructor(
    private readonly stats: StatsCollector,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {
    super();
  }

  view(): Promise<InstancesView> {
    const { at, uptimeSeconds, algorithm, totals, backends } = this.stats.snapshot();
    const instance = this.config.instance;
    return Promise.resolve({
      instance,
      store: null,
      instances: [{ instance, self: true, at, uptimeSeconds, algorithm, version: 0, totals, backends }],
    });
  }
}

/** With `--store`: the replicas whose heartbeat has not expired, read from Redis. */
@Injectable()
export class StoreInstanceRegistry extends InstanceRegistry {
  constructor(
    private readonly directory: InstanceDirectory,
    private readonly connection: StoreConnection,
    private readonly sync: StoreSync,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {
    super();
  }

  async view(): Promise<InstancesView> {
    return {
      instance: this.config.instance,
      store: { url: this.connection.url.display, up: this.connection.up, version: this.sync.version },
      instances: await this.directory.live(),
    };
  }
}
