import { Injectable } from '@nestjs/common';
import type { Algorithm, AlgorithmDeps } from './algorithm';
import { type AlgorithmName, type AlgorithmOptions, buildAlgorithm, type BuiltAlgorithm } from './registry';

/** The algorithm to start with: a name or alias and its options (defaults fill the rest). */
export interface AlgorithmChoice {
  name: string;
  options?: Readonly<Record<string, unknown>>;
}

/**
 * The algorithm in use; switching swaps one reference, so no request is dropped: a request
 * already placed keeps its backend, the next one is placed by the new instance.
 */
@Injectable()
export class ActiveAlgorithm {
  private built: BuiltAlgorithm;

  constructor(
    initial: AlgorithmChoice,
    private readonly deps?: AlgorithmDeps,
  ) {
    this.built = buildAlgorithm(initial.name, initial.options, deps);
  }

  get current(): Algorithm {
    return this.built.algorithm;
  }

  get name(): AlgorithmName {
    return this.built.definition.name as AlgorithmName;
  }

  /** The options in use, every field filled in. */
  get options(): AlgorithmOptions {
    return this.built.options;
  }

  /**
   * Switches to `name` with `options` (validated by the registry; AlgorithmOptionsError and no
   * change when refused). Without options, the same algorithm is kept as it is and another one
   * starts with its defaults. Returns true when the algorithm or its options actually changed.
   */
  use(name: string, options?: Readonly<Record<string, unknown>>): boolean {
    const next = buildAlgorithm(name, options, this.deps);
    if (
      next.definition === this.built.definition &&
      (options === undefined || sameOptions(next.options, this.options))
    ) {
      return false;
    }
    this.built = next;
    return true;
  }
}

function sameOptions(a: AlgorithmOptions, b: AlgorithmOptions): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]));
}
