import type { AdminState } from '@loadex/api';
import type { SharedSlots } from './shared-slots';

/**
 * A backend's live state. Only `ServerPool` writes it (through `backendState`, which the lib does
 * not export); everything else reads it through `Backend`'s getters, so `backend.failures++` outside
 * libs/pool does not compile.
 */
export interface BackendState {
  weight: number;
  healthy: boolean;
  state: AdminState;
  activeRequests: number;
  totalRequests: number;
  failures: number;
  lastCheckAt: Date | null;
  lastCheckMs: number | null;
  consecutivePasses: number;
  consecutiveFailures: number;
  ttfbEwmaMs: number;
  ttfbSamples: number;
  /** The pool clock's time of the last TTFB sample. */
  ttfbSampledAt: number;
  /** 5xx answers and connect failures in a row, for outlier ejection. */
  consecutive5xx: number;
  /** Ejected as an outlier until `ejectedUntil` (pool clock). */
  ejected: boolean;
  ejectedUntil: number;
  /** The same moment as ms since the epoch, for the admin API. */
  ejectionEndsAt: number;
  /** Ejections in a row: the k-th lasts k × the base time; reset after a clean base time. */
  ejections: number;
  /** When the last ejection ended (pool clock), or -Infinity. */
  returnedAt: number;
  /** Pool-clock times of the last health flips from active checks, newest last, for flap detection. */
  flips: number[];
  /** The weight algorithms use: `weight`, or less while slow start ramps it up. */
  effectiveWeight: number;
  /** When slow start began (pool clock), or -1 when the backend is at full weight. */
  rampStartedAt: number;
  /** When the last reset on a reused keep-alive connection came (pool clock), or -Infinity. */
  lastReusedResetAt: number;
}

/** The pool's write access to a backend's state; set once by `Backend`'s static block below. */
export let backendState: (backend: Backend) => BackendState;

/** The pool's access to a backend's shared region (null on one thread). */
export let backendShared: (backend: Backend) => SharedSlots | null;

/** One upstream server and everything the balancer knows about it right now. */
export class Backend {
  /** Parsed once, so the proxy never parses a target per request. */
  readonly target: URL;
  /** The backend's origin, e.g. `http://127.0.0.1:8001`: its identity everywhere (API, metrics, logs). */
  readonly url: string;
  readonly #state: BackendState;
  /** With --workers: the shared region and this backend's slot in it (counts over every thread). */
  readonly #shared: SharedSlots | null;
  /** The backend's slot in the shared region, or -1 when the balancer runs on one thread. */
  readonly slot: number;

  constructor(target: URL, weight = 1, shared: SharedSlots | null = null, slot = -1) {
    this.target = target;
    this.url = target.origin;
    this.#shared = shared;
    this.slot = slot;
    this.#state = {
      weight,
      healthy: true,
      state: 'active',
      activeRequests: 0,
      totalRequests: 0,
      failures: 0,
      lastCheckAt: null,
      lastCheckMs: null,
      consecutivePasses: 0,
      consecutiveFailures: 0,
      ttfbEwmaMs: 0,
      ttfbSamples: 0,
      ttfbSampledAt: 0,
      consecutive5xx: 0,
      ejected: false,
      ejectedUntil: 0,
      ejectionEndsAt: 0,
      ejections: 0,
      returnedAt: -Infinity,
      lastReusedResetAt: -Infinity,
      flips: [],
      effectiveWeight: weight,
      rampStartedAt: -1,
    };
  }

  static {
    backendState = (backend) => backend.#state;
    backendShared = (backend) => backend.#shared;
  }

  get weight(): number {
    return this.#state.weight;
  }

  get healthy(): boolean {
    return this.#state.healthy;
  }

  get state(): AdminState {
    return this.#state.state;
  }

  /** Healthy, not draining and not ejected as an outlier: may take a new request. */
  get routable(): boolean {
    const state = this.#state;
    return state.healthy && state.state === 'active' && !state.ejected;
  }

  /** The weight the algorithms use: `weight`, ramped up from a tenth of it during slow start. */
  get effectiveWeight(): number {
    return this.#state.effectiveWeight;
  }

  /** Ejected by passive outlier detection (5xx in a row, or flapping health). */
  get ejected(): boolean {
    return this.#state.ejected;
  }

  /** Ejections in a row (the current one included). */
  get ejections(): number {
    return this.#state.ejections;
  }

  /** When the current ejection ends, in ms since the epoch; meaningful only while `ejected`. */
  get ejectionEndsAt(): number {
    return this.#state.ejectionEndsAt;
  }

  /** When the current ejection ends, in the pool's clock; meaningful only while `ejected`. */
  get ejectedUntil(): number {
    return this.#state.ejectedUntil;
  }

  /** Requests forwarded and not yet finished (ServerPool.acquire/release). */
  get activeRequests(): number {
    const shared = this.#shared;
    return shared === null ? this.#state.activeRequests : Atomics.load(shared.active, this.slot);
  }

  /** Requests forwarded since the backend joined. */
  get totalRequests(): number {
    const shared = this.#shared;
    return shared === null ? this.#state.totalRequests : shared.requests(this.slot);
  }

  /** Attempts that failed at this backend (refused, reset, timeout) since it joined. */
  get failures(): number {
    const shared = this.#shared;
    return shared === null ? this.#state.failures : shared.failures(this.slot);
  }

  /** When the last active health check finished; null before the first. */
  get lastCheckAt(): Date | null {
    return this.#state.lastCheckAt;
  }

  /** How long the last active health check took, in ms (0.1 ms steps); null before the first. */
  get lastCheckMs(): number | null {
    return this.#state.lastCheckMs;
  }

  /** Consecutive health-check passes, for --health-rise. */
  get consecutivePasses(): number {
    return this.#state.consecutivePasses;
  }

  /** Consecutive health-check failures, for --health-fall. */
  get consecutiveFailures(): number {
    return this.#state.consecutiveFailures;
  }

  /** Peak-EWMA of the time to first byte, in ms (ServerPool.recordTtfb); 0 before the first sample. */
  get ttfbEwmaMs(): number {
    return this.#state.ttfbEwmaMs;
  }

  /** How many TTFB samples the EWMA has seen. */
  get ttfbSamples(): number {
    return this.#state.ttfbSamples;
  }
}
