import { Injectable } from '@nestjs/common';
import { ActiveAlgorithm, ALGORITHM_NAMES, type AlgorithmName } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { PoolChanges } from '../pool-changes/pool-changes';

/** Reads and switches the balancing algorithm; a switch swaps one reference, no request is dropped. */
@Injectable()
export class AlgorithmService {
  constructor(
    private readonly active: ActiveAlgorithm,
    private readonly changes: PoolChanges,
  ) {}

  view(): AlgorithmView {
    return { algorithm: this.active.name, available: [...ALGORITHM_NAMES] };
  }

  use(name: AlgorithmName): AlgorithmView {
    if (this.active.use(name)) this.changes.algorithmChanged(name);
    return this.view();
  }
}
