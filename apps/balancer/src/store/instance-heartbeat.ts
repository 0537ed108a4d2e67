import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { ClusterView } from '../stats/cluster-view';
import { clusterStats, InstanceDirectory } from './instance-directory';
import { SelfView } from './self-view';
import { StoreConnection } from './store-connection';
import { HEARTBEAT_INTERVAL_MS, HEARTBEAT_TTL_MS, instanceKey, STORE_KEYS } from './store-keys';
import { StoreSync } from './store-sync';

/**
 * Once a second: writes this replica's view (its traffic counters and percentiles, and its own
 * health observations of every backend) under its name, expiring after 5 s, so a replica that
 * dies disappears by itself; reads the control-state version back, so a missed change message is
 * caught up within a second; and refreshes the cluster sums that `/api/stats` shows.
 * A beat that is still waiting for Redis is not overlapped by the next one.
 */
@Injectable()
export class InstanceHeartbeat implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Store');
  private timer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(
    private readonly connection: StoreConnection,
    private readonly sync: StoreSync,
    private readonly directory: InstanceDirectory,
    private readonly self: SelfView,
    private readonly cluster: ClusterView,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    void this.beat();
  }

  /** Leaves the directory at once on a clean stop rather than 5 s later. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (!this.connection.up) return;
    await this.connection.commands
      .pipeline()
      .del(instanceKey(this.config.instance))
      .srem(STORE_KEYS.instances, this.config.instance)
      .exec()
      .catch(() => undefined);
  }

  private async beat(): Promise<void> {
    if (this.beating || this.connection.commands.status !== 'ready') return;
    this.beating = true;
    try {
      const replies = await this.connection.commands
        .pipeline()
        .set(
          instanceKey(this.config.instance),
          JSON.stringify(this.self.heartbeat(this.sync.version)),
          'PX',
          HEARTBEAT_TTL_MS,
        )
        .sadd(STORE_KEYS.instances, this.config.instance)
        .exec();
      const failed = replies?.find(([err]) => err);
      if (failed) throw failed[0];
      this.connection.answered();
      // Every heartbeat also re-reads the shared state (anti-entropy: a missed message or any drift
      // is put right within a second).
      this.sync.observed();
      this.cluster.set(this.config.instance, clusterStats(await this.directory.live()));
    } catch (err) {
      this.connection.failed(err);
      // The others' numbers are unknown now: the sums cover this replica only, rather than stale ones.
      this.cluster.set(this.config.instance, clusterStats([this.self.view(this.sync.version)]));
      this.logger.debug(`heartbeat failed: ${(err as Error).message}`);
    } finally {
      this.beating = false;
    }
  }
}
