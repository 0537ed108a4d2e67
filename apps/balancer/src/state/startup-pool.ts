import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AlgorithmName } from '@loadex/algorithms';
import type { AdminState } from '@loadex/api';
import { MAX_BACKENDS } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { assertWritableDirectory, readStateFile } from './state-file';
import { StateFileError } from './state-file-error';

export interface StartupBackend {
  url: URL;
  weight: number;
  state: AdminState;
}

export interface StartupPlan {
  backends: StartupBackend[];
  algorithm: AlgorithmName;
  /** The state file's options for it (the configured ones apply when absent). */
  algorithmOptions?: Readonly<Record<string, unknown>>;
}

/**
 * What the pool starts with: the state file's backends (their weights and drain states, in their
 * order), then the configured backends it does not know and were not removed at runtime; the
 * state file's algorithm over the configured one. Without a state file: the configuration.
 * A corrupt or unreadable state file throws `StateFileError` and the balancer does not start.
 */
@Injectable()
export class StartupPool {
  private readonly logger = new Logger('State');

  constructor(@Inject(BALANCER_CONFIG) private readonly config: BalancerConfig) {}

  async plan(): Promise<StartupPlan> {
    const configured: StartupBackend[] = this.config.backends.map(({ url, weight }) => ({
      url,
      weight,
      state: 'active',
    }));
    const file = this.config.stateFile;
    if (!file) return { backends: configured, algorithm: this.config.algorithm };
    const saved = await readStateFile(file);
    if (!saved) {
      await assertWritableDirectory(file);
      return { backends: configured, algorithm: this.config.algorithm };
    }

    const known = new Set(saved.backends.map((b) => b.url.origin));
    const removed = new Set(saved.removed.map((u) => u.origin));
    const added = configured.filter((b) => !known.has(b.url.origin) && !removed.has(b.url.origin));
    if (saved.backends.length + added.length > MAX_BACKENDS) {
      throw new StateFileError(
        `state file ${file} and the configured backends together exceed the maximum of ${MAX_BACKENDS} backends`,
      );
    }
    this.logger.log(
      `restored ${saved.backends.length} backend(s) and algorithm ${saved.algorithm} from ${file}` +
        (added.length ? `; ${added.length} configured backend(s) added` : ''),
    );
    return {
      backends: [...saved.backends, ...added],
      algorithm: saved.algorithm,
      algorithmOptions: saved.algorithmOptions,
    };
  }
}
