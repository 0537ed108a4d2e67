import { Injectable } from '@nestjs/common';
import { Signal } from '@loadex/pool';
import { type Algorithm, type AlgorithmDeps, DEFAULT_DEPS, type SharedPickState } from './algorithm';
import {
  type AlgorithmName,
  type AlgorithmOptions,
  buildAlgorithm,
  type BuiltAlgorithm,
  findAlgorithm,
} from './registry';

/** Options as given: plain values by option name. */
export type OptionValues = Readonly<Record<string, unknown>>;

/** The algorithm to start with, and the configured options of every algorithm. */
export interface AlgorithmChoice {
  /** A name or alias. */
  name: string;
  /** Options of `name`, over its configured defaults. */
  options?: OptionValues;
  /** With --workers: shared rotation state, so the worker threads' picks make one rotation. */
  shared?: SharedPickState;
  /**
   * Configured options per canonical algorithm name (the balancer's --hash-key, --ewma-decay, ...):
   * used whenever that algorithm is chosen, at start or at runtime, for every option not given.
   */
  defaults?: Readonly<Record<string, OptionValues>>;
}

/**
 * The algorithm in use; switching swaps one reference, so no request is dropped: a request
 * already placed keeps its backend, the next one is placed by the new instance.
 */
@Injectable()
export class ActiveAlgorithm {
  private built: BuiltAlgorithm;
  private readonly defaults: Readonly<Record<string, OptionValues>>;
  private readonly deps: AlgorithmDeps | undefined;
  private readonly changes = new Signal<[name: AlgorithmName, options: AlgorithmOptions]>();

  constructor(initial: AlgorithmChoice, deps?: AlgorithmDeps) {
    this.defaults = initial.defaults ?? {};
    this.deps = initial.shared ? { ...(deps ?? DEFAULT_DEPS), shared: initial.shared } : deps;
    this.built = this.build(initial.name, initial.options);
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
   * Switches to `name` with `options` over that algorithm's configured defaults (the registry
   * validates; AlgorithmOptionsError and no change when refused). Returns true when the algorithm
   * or its options actually changed; otherwise the running instance, and its state, stay.
   */
  use(name: string, options?: OptionValues): boolean {
    const next = this.build(name, options);
    if (next.definition === this.built.definition && sameOptions(next.options, this.options)) return false;
    this.built = next;
    this.changes.emit(this.name, this.options);
    return true;
  }

  /** Follows every switch (the algorithm or its options changed); returns the function that stops. */
  onChange(listener: (name: AlgorithmName, options: AlgorithmOptions) => void): () => void {
    return this.changes.on(listener);
  }

  private build(name: string, options: OptionValues | undefined): BuiltAlgorithm {
    const definition = findAlgorithm(name);
    const configured = definition && this.defaults[definition.name];
    return buildAlgorithm(name, configured || options ? { ...configured, ...options } : undefined, this.deps);
  }
}

function sameOptions(a: AlgorithmOptions, b: AlgorithmOptions): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]));
}
