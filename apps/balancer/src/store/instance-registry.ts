import { Injectable } from '@nestjs/common';
import type { InstancesView } from '@loadex/api';
import { InstanceDirectory } from './instance-directory';
import { SelfView } from './self-view';
import { StoreConnection } from './store-connection';
import { StoreUnavailableError } from './store-errors';
import { StoreSync } from './store-sync';

/** What `GET /api/instances` answers: the live replicas and what each sees. */
export abstract class InstanceRegistry {
  abstract view(): Promise<InstancesView>;
}

/** Without `--store`: this process is the only instance. */
@Injectable()
export class LocalInstanceRegistry extends InstanceRegistry {
  constructor(private readonly self: SelfView) {
    super();
  }

  view(): Promise<InstancesView> {
    return Promise.resolve({ instance: this.self.instance, store: null, instances: [this.self.view(0)] });
  }
}

/**
 * With `--store`: the replicas whose heartbeat has not expired, read from Redis. While the store
 * does not answer, only this replica (the others' views are unknown), with `store.up` false.
 */
@Injectable()
export class StoreInstanceRegistry extends InstanceRegistry {
  constructor(
    private readonly directory: InstanceDirectory,
    private readonly connection: StoreConnection,
    private readonly sync: StoreSync,
    private readonly self: SelfView,
  ) {
    super();
  }

  async view(): Promise<InstancesView> {
    let instances: InstancesView['instances'];
    try {
      instances = await this.directory.live();
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      instances = [this.self.view(this.sync.version)];
    }
    return {
      instance: this.self.instance,
      store: { url: this.connection.url.display, up: this.connection.up, version: this.sync.version },
      instances,
    };
  }
}
