import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { CHANGES_CHANNEL } from './control-script';
import type { ControlSnapshot } from './control-snapshot';
import { ControlStateApplier } from './control-state-applier';
import { ControlStore } from './control-store';
import { StoreConnection } from './store-connection';
import { StoreStartError, StoreUnavailableError } from './store-errors';

/**
 * Keeps this replica's pool and algorithm equal to the store's control state. A full resync (one
 * atomic read) at start, on every reconnect, on every published change and whenever a heartbeat
 * sees a version this replica has not applied (so a missed message is caught within a second).
 * Snapshots are applied in version order only; an older one arriving late is ignored.
 *
 * An empty store is seeded: at start from `--backends`/`--algo`; later (Redis restarted without its
 * data) from this replica's last applied state, so nothing acknowledged is lost.
 */
@Injectable()
export class StoreSync implements OnApplicationBootstrap {
  private readonly logger = new Logger('Store');
  private appliedVersion = 0;
  private appliedEpoch = '';
  /** Something is in the pool that the store should get if it is empty: applied or started with. */
  private hasState = false;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly connection: StoreConnection,
    private readonly store: ControlStore,
    private readonly applier: ControlStateApplier,
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  get version(): number {
    return this.appliedVersion;
  }

  get epoch(): string {
    return this.appliedEpoch;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { subscriber, commands } = this.connection;
    subscriber.on('message', (channel: string, version: string) => {
      if (channel === CHANGES_CHANNEL && Number(version) > this.appliedVersion) void this.resyncQuietly();
    });
    try {
      await this.connection.connect();
      await this.resync();
    } catch (err) {
      const reason = this.connection.lastFailure || (err as Error).message;
      if (!this.config.storeOptional) {
        throw new StoreStartError(
          `cannot reach --store ${this.connection.url.display}: ${reason} (give --store-optional to start without it)`,
        );
      }
      this.logger.warn(
        `store ${this.connection.url.display} unreachable at start (${reason}): serving --backends, retrying`,
      );
      this.startFromConfig();
    }
    void subscriber.subscribe(CHANGES_CHANNEL).catch(() => undefined);
    commands.on('ready', () => void this.resyncQuietly());
  }

  /** The heartbeat saw the store's version: catch up when this replica is behind. */
  /**
   * A heartbeat read the store's version: resync, every time. Usually that finds nothing new; when
   * this replica fell behind, or its pool drifted from the snapshot it applied, the re-read snapshot
   * (applied again at the same version: applying is idempotent) puts it right within a second.
   */
  observed(): void {
    void this.resyncQuietly();
  }

  /**
   * Applies a snapshot if it is newer than what is applied (or of a new epoch); with
   * `sameVersionToo` (a full read) also at the applied version, which corrects any drift.
   */
  accept(snapshot: ControlSnapshot, sameVersionToo = false): void {
    if (snapshot.version === 0) return;
    if (snapshot.epoch === this.appliedEpoch) {
      if (snapshot.version < this.appliedVersion) return;
      if (snapshot.version === this.appliedVersion && !sameVersionToo) return;
    }
    this.applier.apply(snapshot);
    this.appliedVersion = snapshot.version;
    this.appliedEpoch = snapshot.epoch;
    this.hasState = true;
  }

  /** Reads the whole state and applies it; seeds an empty store. Overlapping calls share one run. */
  resync(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.readAndApply();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async resyncQuietly(): Promise<void> {
    try {
      await this.resync();
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) this.logger.error(`resync failed: ${(err as Error).message}`);
    }
  }

  private async readAndApply(): Promise<void> {
    const { snapshot } = await this.store.run('read');
    if (snapshot.version !== 0) {
      if (!this.hasState && this.config.backends.length) {
        this.logger.log(
          `store ${this.connection.url.display} holds ${snapshot.backends.length} backend(s) at version ` +
            `${snapshot.version}: using them; --backends only seeds an empty store`,
        );
      }
      // A full read is the truth at its version: applied even at the version already applied.
      this.accept(snapshot, true);
      return;
    }
    const fromConfig = !this.hasState;
    const backends = fromConfig
      ? this.config.backends.map(({ url, weight }) => ({ url: url.origin, weight, state: 'active' }))
      : this.pool.all().map((b) => ({ url: b.url, weight: b.weight, state: b.state }));
    const algorithm = fromConfig ? this.config.algorithm : this.algorithm.name;
    const seeded = await this.store.run(
      'seed',
      JSON.stringify({ name: algorithm, options: {} }),
      randomUUID(),
      ...backends.flatMap((b) => [b.url, b.weight, b.state]),
    );
    if (seeded.code === 'SEEDED') {
      this.logger.log(
        `store ${this.connection.url.display} was empty: seeded it with ${backends.length} backend(s) and algorithm ` +
          `${algorithm} from ${fromConfig ? '--backends' : "this replica's last state"}`,
      );
    }
    this.accept(seeded.snapshot);
  }

  /** `--store-optional` with the store down at start: the configured pool until the store answers. */
  private startFromConfig(): void {
    for (const { url, weight } of this.config.backends) this.pool.add(url, weight);
    this.algorithm.use(this.config.algorithm);
    this.hasState = true;
  }
}
