import { Injectable } from '@nestjs/common';
import { ActiveAlgorithm, ALGORITHM_NAMES, type AlgorithmName } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/pool';
import { StatePersister } from '../state/state-persister';
import { PoolChanges } from './pool-changes';

/** Reads and switches the balancing algorithm; a switch swaps one reference, no request is dropped. */
@Injectable()
export class AlgorithmService {
  constructor(
    private readonly active: ActiveAlgorithm,
    private readonly changes: PoolChanges,
    private readonly persister: StatePersister,
  ) {}

  view(): AlgorithmView {
    return { algorithm: this.active.name, available: [...ALGORITHM_NAMES] };
  }

  /** Resolves once the switch is durable (on disk with --state-file). */
  async use(name: AlgorithmName): Promise<AlgorithmView> {
    if (this.active.use(name)) this.changes.algorithmChanged(name);
    await this.persister.flush();
    return this.view();
  }
}
