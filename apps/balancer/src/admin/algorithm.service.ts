import { Injectable } from '@nestjs/common';
import {
  ActiveAlgorithm,
  ALGORITHM_NAMES,
  type AlgorithmInfo,
  type AlgorithmName,
  describeAlgorithms,
} from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { ControlPlane } from '../store/control-plane';

/** Reads and switches the balancing algorithm; a switch swaps one reference, no request is dropped. */
@Injectable()
export class AlgorithmService {
  private readonly catalog: readonly AlgorithmInfo[] = describeAlgorithms();

  constructor(
    private readonly active: ActiveAlgorithm,
    private readonly control: ControlPlane,
  ) {}

  view(): AlgorithmView {
    return { algorithm: this.active.name, options: { ...this.active.options }, available: [...ALGORITHM_NAMES] };
  }

  /** The registry: every algorithm, its aliases, how it chooses and its options. */
  catalogView(): readonly AlgorithmInfo[] {
    return this.catalog;
  }

  /**
   * Switches to `name` with `options` (validated by the input schema; omitted ones: configured or
   * default), through the control plane: this process, or the shared store (answered once Redis
   * confirmed).
   */
  async use(name: AlgorithmName, options?: Readonly<Record<string, unknown>>): Promise<AlgorithmView> {
    await this.control.useAlgorithm({ name, options: options ?? {} });
    return this.view();
  }
}
