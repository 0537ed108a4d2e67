import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { PoolChanges } from '../pool-changes/pool-changes';
import { type PersistedStateFile, STATE_FILE_VERSION } from './persisted-state.schema';
import { writeFileAtomically } from './state-file';

/** Changes that come in a burst are saved together. */
const DEBOUNCE_MS = 50;

/**
 * With `--state-file`: saves the pool (backends, weights, drain states), the configured backends
 * removed at runtime and the algorithm after every runtime change (health is not saved: it is
 * measured again at start). Writes are debounced, never overlap, and are atomic; a pending write
 * is finished before shutdown.
 */
@Injectable()
export class StatePersister implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('State');
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly changes: PoolChanges,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  /** Subscribes after start-up, so restoring the state does not write it again. */
  onApplicationBootstrap(): void {
    if (!this.config.stateFile) return;
    this.unsubscribe = this.changes.on((change) => {
      if (change.type !== 'health') this.schedule();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.save();
    }
    await this.writing;
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, DEBOUNCE_MS);
  }

  /** Queues one write of the state as it is now (when the previous write is done). */
  private save(): void {
    const file = this.config.stateFile;
    if (!file || !this.dirty) return;
    this.dirty = false;
    const content = JSON.stringify(this.current(), null, 2) + '\n';
    this.writing = this.writing
      .then(() => writeFileAtomically(file, content))
      .catch((err: unknown) => this.logger.error(`cannot write state file ${file}: ${(err as Error).message}`));
  }

  private current(): PersistedStateFile {
    return {
      version: STATE_FILE_VERSION,
      savedAt: new Date().toISOString(),
      algorithm: this.algorithm.name,
      algorithmOptions: { ...this.algorithm.options },
      backends: this.pool.all().map((b) => ({ url: b.url, weight: b.weight, state: b.state })),
      removed: this.config.backends.map((b) => b.url.origin).filter((url) => !this.pool.get(url)),
    };
  }
}
