import { Injectable } from '@nestjs/common';
import { ActiveAlgorithm, ALGORITHM_NAMES, type AlgorithmName } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { ControlPlane } from '../store/control-plane';

/** Reads and switches the balancing algorithm; a switch swaps one reference, no request is dropped. */
@Injectable()
export class AlgorithmService {
  constructor(
    private readonly active: ActiveAlgorithm,
    private readonly control: ControlPlane,
  ) {}

  view(): AlgorithmView {
    return { algorithm: this.active.name, available: [...ALGORITHM_NAMES] };
  }

  /** Through the control plane: this process, or the shared store (answered once Redis confirmed). */
  async use(name: AlgorithmName): Promise<AlgorithmView> {
    await this.control.useAlgorithm({ name, options: {} });
    return this.view();
  }
}
