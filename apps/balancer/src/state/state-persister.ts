import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { ServerPool } from '@loadex/pool';
import { PoolChanges } from '../pool-changes/pool-changes';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { type PersistedStateFile, STATE_FILE_VERSION } from './persisted-state.schema';
import { writeFileAtomically } from './state-file';
import { StateWriteError } from './state-write-error';

/** One write of the state file: the change count it holds and when it is on disk. */
interface Write {
  readonly version: number;
  readonly done: Promise<void>;
}

/**
 * With `--state-file`: saves the pool (backends, weights, drain states), the configured backends
 * removed at runtime and the algorithm after every runtime change (health is not saved: it is
 * measured again at start). Each write is atomic and durable (temporary file, fsync, rename, fsync
 * of the directory) and writes never overlap.
 *
 * `flush()` is how an admin mutation waits until its change is on disk before it is answered. It is
 * a group commit: a change made while a write is in flight goes into the next write, which starts
 * when that one ends and holds every change made until then, so a burst of N mutations costs about
 * two writes, not N, and each waits only for the write that contains it.
 */
@Injectable()
export class StatePersister implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('State');
  private unsubscribe: (() => void) | undefined;
  /** Runtime changes seen so far, and how many of them are on disk. */
  private changed = 0;
  private saved = 0;
  private inFlight: Write | undefined;
  private next: Promise<void> | undefined;

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
      // Health and outlier ejections are observations, not runtime changes: they are not saved.
      if (change.type === 'health' || change.type === 'outlier') return;
      this.changed++;
      // Changes nobody awaits (none today besides the admin API's) are saved all the same.
      this.flush().catch(() => undefined);
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.flush().catch(() => undefined);
  }

  /**
   * Resolves once every change made so far is on disk (at once without `--state-file`, or when
   * nothing is unsaved); rejects with a `StateWriteError` (a 500 with the reason) when the write
   * that should hold them fails. The change stays in effect in memory then: the next write that
   * succeeds saves it.
   */
  flush(): Promise<void> {
    if (!this.config.stateFile) return Promise.resolve();
    // The next write is queued already and starts later than now: it holds this change too.
    if (this.next) return this.next;
    if (this.inFlight) {
      if (this.inFlight.version >= this.changed) return this.inFlight.done;
      // Group commit: everything changed from now until the write in flight ends goes in the next one.
      this.next ??= this.inFlight.done
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.write().done;
        });
      return this.next;
    }
    if (this.saved >= this.changed) return Promise.resolve();
    return this.write().done;
  }

  /** Starts one write of the state as it is now. */
  private write(): Write {
    const file = this.config.stateFile as string;
    const version = this.changed;
    const content = JSON.stringify(this.current(), null, 2) + '\n';
    const done = writeFileAtomically(file, content).then(
      () => {
        this.inFlight = undefined;
        this.saved = Math.max(this.saved, version);
      },
      (err: unknown) => {
        this.inFlight = undefined;
        const message = `cannot write state file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        this.logger.error(message);
        throw new StateWriteError(message);
      },
    );
    this.inFlight = { version, done };
    return this.inFlight;
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
