import type { z } from 'zod';
import type { Backend } from '@loadex/pool';

/**
 * What an algorithm may know about the request it places. The proxy passes its per-request
 * attempt object, which holds these as references to Node's own values: nothing is copied.
 */
export interface RequestInfo {
  /** The client address: the socket peer, or the first X-Forwarded-For hop with --trust-proxy. */
  readonly clientIp: string;
  /** The request target as Node gives `req.url`: path and query, e.g. `/cart?id=7`. */
  readonly url: string;
  /** Node's `req.headers`: lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A selection policy: picks one backend from the candidates the pool says are routable.
 * It never does I/O and never forwards; the proxy owns retries, the pool owns health.
 */
export interface Algorithm {
  readonly name: string;
  pick(candidates: readonly Backend[], request: RequestInfo): Backend | undefined;
}

/** Everything an algorithm may take from the world: injected, so tests fix every pick. */
export interface AlgorithmDeps {
  /** A number in [0, 1), as `Math.random`. */
  random(): number;
  /** Milliseconds on a monotonic clock, as `performance.now`. */
  now(): number;
  /** With --workers: the state the worker threads share, so a rotation is one over all of them. */
  shared?: SharedPickState;
}

/** Rotation state in shared memory (libs/pool's `SharedSlots`): every worker thread's picks see it. */
export interface SharedPickState {
  /** The shared round-robin cursor, one `Atomics.add` per pick. */
  nextTurn(): number;
  /** Least-connection's shared tie-break rotation. */
  nextOffset(): number;
  /** Smooth-WRR current weights by backend slot, read and written only between `lock` and `unlock`. */
  readonly wrrCurrent: Float64Array;
  lock(): void;
  unlock(): void;
}

export const DEFAULT_DEPS: AlgorithmDeps = {
  random: Math.random,
  now: () => performance.now(),
};

/** The options schema of an algorithm: a strict zod object whose fields all have defaults. */
export type OptionsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/**
 * One registry entry: everything the CLI, the admin API, the dashboard and the README say about an
 * algorithm, and the factory that builds it.
 */
export interface AlgorithmDefinition<Name extends string = string, Schema extends OptionsSchema = OptionsSchema> {
  readonly name: Name;
  /** A short human name, as the dashboard shows it: "Round robin". */
  readonly title: string;
  /** Other accepted spellings, matched case-insensitively like the name. */
  readonly aliases: readonly string[];
  /** One sentence on how it chooses. */
  readonly description: string;
  readonly options: Schema;
  create(options: z.output<Schema>, deps: AlgorithmDeps): Algorithm;
}

/** Declares a registry entry with its name kept as a literal type. */
export function defineAlgorithm<const Name extends string, Schema extends OptionsSchema>(
  definition: AlgorithmDefinition<Name, Schema>,
): AlgorithmDefinition<Name, Schema> {
  return definition;
}
