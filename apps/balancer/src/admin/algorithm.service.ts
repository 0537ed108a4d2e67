import { Injectable } from '@nestjs/common';
import { ActiveAlgorithm, ALGORITHM_NAMES, type AlgorithmInfo, describeAlgorithms } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/pool';
import { PoolChanges } from './pool-changes';

/** Reads and switches the balancing algorithm; a switch swaps one reference, no request is dropped. */
@Injectable()
export class AlgorithmService {
  constructor(
    private readonly active: ActiveAlgorithm,
    private readonly changes: PoolChanges,
  ) {}

  private readonly catalog: readonly AlgorithmInfo[] = describeAlgorithms();

  view(): AlgorithmView {
    return { algorithm: this.active.name, options: { ...this.active.options }, available: [...ALGORITHM_NAMES] };
  }

  /** The registry: every algorithm, its aliases, how it chooses and its options. */
  catalogView(): readonly AlgorithmInfo[] {
    return this.catalog;
  }

  /** Switches to `name` with `options` (validated by the input schema; omitted ones: configured or default). */
  use(name: string, options?: Readonly<Record<string, unknown>>): AlgorithmView {
    if (this.active.use(name, options)) this.changes.algorithmChanged(this.active.name);
    return this.view();
  }
}
