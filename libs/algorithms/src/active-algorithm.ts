import { Injectable } from '@nestjs/common';
import type { Algorithm, AlgorithmName } from './algorithm';
import { createAlgorithm } from './create-algorithm';

/** The algorithm in use; switching swaps one reference, so no request is dropped. */
@Injectable()
export class ActiveAlgorithm {
  constructor(private algorithm: Algorithm) {}

  get current(): Algorithm {
    return this.algorithm;
  }

  get name(): AlgorithmName {
    return this.algorithm.name;
  }

  /** Returns true when the algorithm actually changed. */
  use(name: AlgorithmName): boolean {
    if (name === this.algorithm.name) return false;
    this.algorithm = createAlgorithm(name);
    return true;
  }
}
