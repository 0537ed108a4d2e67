import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AdminState } from '@loadex/api';
import { Backend, backendShared, backendState, type BackendState } from './backend';
import {
  FLAPS_TO_HOLD,
  MAX_EJECTION_MULTIPLIER,
  NO_OUTLIER_DETECTION,
  type OutlierPolicy,
  SLOW_START_FLOOR,
} from './outlier-policy';
import type { PoolEvent } from './pool-events';
import { SharedSlots, SlotAllocator } from './shared-slots';
import { Signal } from './signal';

export const MAX_BACKENDS = 1000;

/** The default `latencyDecayMs`: the TTFB EWMA forgets old samples over about 10 s. */
export const DEFAULT_LATENCY_DECAY_MS = 10_000;

/** Two resets on reused keep-alive connections of one backend this close together take it down. */
export const REUSED_RESETS_WINDOW_MS = 1000;

/** A monotonic clock in ms, `performance.now()` unless a test provides one under `POOL_CLOCK`. */
export type PoolClock = () => number;
export const POOL_CLOCK = Symbol('POOL_CLOCK');

export class PoolLimitError extends Error {}

/** With --workers: the shared per-backend region this thread's pool counts into. */
export const SHARED_SLOTS = Symbol('SHARED_SLOTS');

/**
 * In a worker thread the pool only counts; health and outlier decisions are the main thread's.
 * These are called once per failure event or ejection trigger, never per request.
 */
export interface PoolDecisions {
  /** A passive failure that marks `backend` down (the main thread decides and broadcasts). */
  markDown(backend: Backend, reason: string): void;
  /** `backend` reached the outlier threshold of failures in a row over every worker. */
  outlierRun(backend: Backend, reason: string): void;
}

/**
 * The set of backends and their live state, and the only writer of that state: every change to a
 * `Backend` (admin changes, health, connection accounting, failures, latency) is a method here. It
 * decides who may take a new request (`routable()`); it never forwards anything.
 */
@Injectable()
export class ServerPool {
  private readonly byUrl = new Map<string, Backend>();
  /** Rebuilt on every change, so the hot path reads a ready array and allocates nothing. */
  private routableCache: readonly Backend[] = [];
  private readonly changes = new Signal<[event: PoolEvent]>();
  private readonly now: PoolClock;
  private decayMs = DEFAULT_LATENCY_DECAY_MS;
  private outliers: OutlierPolicy = NO_OUTLIER_DETECTION;
  private slowStartMs = 0;
  /** Backends ramping up (slow start) or ejected: what `tick()` has to look at. */
  private readonly timed = new Set<Backend>();
  private readonly shared: SharedSlots | null;
  private readonly slots: SlotAllocator | null;
  /** Main thread with --workers: every slot's backend, kept after it left until the slot is reused. */
  private readonly bySlot = new Map<number, Backend>();
  private decisions: PoolDecisions | null = null;

  constructor(
    @Optional() @Inject(POOL_CLOCK) clock?: PoolClock,
    @Optional() @Inject(SHARED_SLOTS) shared?: SharedSlots,
  ) {
    this.now = clock ?? (() => performance.now());
    this.shared = shared ?? null;
    this.slots = shared && shared.row === -1 ? new SlotAllocator(shared) : null;
  }

  /** Worker threads: health and outlier decisions go to the main thread (see `PoolDecisions`). */
  delegateDecisions(decisions: PoolDecisions): void {
    this.decisions = decisions;
  }

  /** Main thread with --workers: the backend that holds (or last held) `slot`. */
  bySharedSlot(slot: number): Backend | undefined {
    return this.bySlot.get(slot);
  }

  /** τ of the TTFB peak-EWMA, in ms (`setLatencyDecay`). */
  get latencyDecayMs(): number {
    return this.decayMs;
  }

  /** Every backend, in the order they were added. */
  all(): readonly Backend[] {
    return [...this.byUrl.values()];
  }

  get size(): number {
    return this.byUrl.size;
  }

  get(url: string): Backend | undefined {
    return this.byUrl.get(url);
  }

  /** The one place that decides who may take a new request: healthy and not draining. */
  routable(): readonly Backend[] {
    return this.routableCache;
  }

  /** Adds a backend, or returns the existing one for the same origin (then `created` is false). */
  add(target: URL, weight = 1, slot = -1): { readonly backend: Backend; readonly created: boolean } {
    const existing = this.byUrl.get(target.origin);
    if (existing) return { backend: existing, created: false };
    if (this.byUrl.size >= MAX_BACKENDS) {
      throw new PoolLimitError(`the pool already holds the maximum of ${MAX_BACKENDS} backends`);
    }
    // With --workers the main thread assigns the slot; a worker's replica is given it.
    if (this.slots !== null) slot = this.slots.take();
    const backend = new Backend(target, weight, this.shared, this.shared ? slot : -1);
    if (this.slots !== null) this.bySlot.set(slot, backend);
    this.byUrl.set(backend.url, backend);
    this.startSlowStart(backend);
    this.refresh();
    this.emit({ type: 'added', backend });
    return { backend, created: true };
  }

  /** Removes a backend: it takes no new requests; requests already on it finish normally. */
  remove(url: string): Backend | undefined {
    const backend = this.byUrl.get(url);
    if (!backend) return undefined;
    this.byUrl.delete(url);
    this.timed.delete(backend);
    this.slots?.release(backend.slot);
    this.refresh();
    this.emit({ type: 'removed', backend });
    return backend;
  }

  setWeight(backend: Backend, weight: number): void {
    const state = backendState(backend);
    if (state.weight === weight) return;
    state.weight = weight;
    this.updateEffectiveWeight(state, this.now());
    this.emit({ type: 'weight', backend, weight });
  }

  setState(backend: Backend, adminState: AdminState): void {
    const state = backendState(backend);
    if (state.state === adminState) return;
    state.state = adminState;
    if (adminState === 'active') this.startSlowStart(backend);
    this.refresh();
    this.emit({ type: 'state', backend, state: adminState });
  }

  /** Flips health; a no-op (and no event) when the state does not change. */
  setHealthy(backend: Backend, healthy: boolean, reason: string): void {
    const state = backendState(backend);
    if (state.healthy === healthy || !this.byUrl.has(backend.url)) return;
    state.healthy = healthy;
    if (healthy) this.startSlowStart(backend);
    this.refresh();
    this.emit({ type: 'health', backend, healthy, reason });
  }

  /**
   * One active health check of `backend` finished after `ms`: counts consecutive passes and
   * failures, and flips health after `rise` passes in a row (down → up) or `fall` failures in a row
   * (up → down). `detail` says why a check failed (a status or an error code).
   */
  recordCheck(backend: Backend, passed: boolean, ms: number, detail: string, rise: number, fall: number): void {
    const state = backendState(backend);
    state.lastCheckAt = new Date();
    state.lastCheckMs = ms;
    if (passed) {
      state.consecutivePasses++;
      state.consecutiveFailures = 0;
      if (!state.healthy && state.consecutivePasses >= rise) {
        this.setHealthy(backend, true, `${state.consecutivePasses} passing check(s)`);
        if (this.flapped(state)) this.eject(backend, `flapping: ${FLAPS_TO_HOLD} health changes in a short time`);
      }
    } else {
      state.consecutiveFailures++;
      state.consecutivePasses = 0;
      if (state.healthy && state.consecutiveFailures >= fall) {
        this.setHealthy(backend, false, `${state.consecutiveFailures} failed check(s), last: ${detail}`);
        this.flapped(state);
      }
    }
  }

  /**
   * An attempt failed at `backend` (`kind`: refused, reset, timeout, ...). Counts one failure; with
   * `markDown`, a healthy backend is marked down at once (passive health) and has to earn its
   * `rise` passes again.
   */
  reportFailure(backend: Backend, kind: string, markDown: boolean): void {
    const state = backendState(backend);
    const shared = backendShared(backend);
    if (shared === null) state.failures++;
    else shared.failuresByWorker[shared.row * shared.capacity + backend.slot]++;
    // A reset on a reused keep-alive socket (the one failure reported without `markDown` that is
    // not a timeout) is a race with the backend's idle close, not the backend's fault, when it
    // comes alone. A second one within REUSED_RESETS_WINDOW_MS is a backend whose connections all
    // broke at once (it died): down now, before new requests open connections to it and fail too.
    if (!markDown && kind === 'reset') {
      const now = this.now();
      markDown = now - state.lastReusedResetAt <= REUSED_RESETS_WINDOW_MS;
      state.lastReusedResetAt = now;
    }
    if (markDown || kind === 'timeout') this.countOutlierFailure(backend, state, `${kind} while proxying`);
    if (markDown && state.healthy) {
      // A worker thread stops using it at once and tells the main thread, whose decision (broadcast
      // to every worker) is the same: down until it earns its `rise` passes.
      this.decisions?.markDown(backend, `${kind} while proxying`);
      state.consecutivePasses = 0;
      this.setHealthy(backend, false, `${kind} while proxying`);
    }
  }

  /** Main thread with --workers: a worker saw a failure that marks `backend` down (already counted there). */
  reportedDown(backend: Backend, reason: string): void {
    const state = backendState(backend);
    if (!state.healthy || this.byUrl.get(backend.url) !== backend) return;
    state.consecutivePasses = 0;
    this.setHealthy(backend, false, reason);
  }

  /** Main thread with --workers: the workers' shared run of failures reached the threshold. */
  reportedOutlierRun(backend: Backend, reason: string): void {
    if (this.byUrl.get(backend.url) === backend) this.eject(backend, reason);
    const shared = backendShared(backend);
    if (shared !== null) Atomics.store(shared.consecutive5xx, backend.slot, 0);
  }

  /** A worker's replica: the main thread ejected `backend`, or its ejection ended. */
  setEjected(backend: Backend, ejected: boolean, reason: string): void {
    const state = backendState(backend);
    if (state.ejected === ejected || !this.byUrl.has(backend.url)) return;
    state.ejected = ejected;
    if (ejected) {
      state.ejectedUntil = Infinity; // only the main thread ends an ejection
      this.timed.delete(backend);
    } else {
      this.startSlowStart(backend);
    }
    this.refresh();
    this.emit({ type: 'outlier', backend, ejected, reason });
  }

  /**
   * A response from `backend` started with `status`: 5xx answers in a row eject it
   * (`setOutlierPolicy`); any other answer ends the run. Called once per proxied response.
   */
  recordResponse(backend: Backend, status: number): void {
    const state = backendState(backend);
    if (status >= 500) this.countOutlierFailure(backend, state, `${this.outliers.consecutive5xx} 5xx answers in a row`);
    else {
      const shared = backendShared(backend);
      if (shared === null) {
        if (state.consecutive5xx !== 0) state.consecutive5xx = 0;
      } else if (Atomics.load(shared.consecutive5xx, backend.slot) !== 0) {
        Atomics.store(shared.consecutive5xx, backend.slot, 0);
      }
    }
  }

  /** Outlier detection from now on (the balancer sets it once at start-up). */
  setOutlierPolicy(policy: OutlierPolicy): void {
    this.outliers = policy;
  }

  /**
   * Slow start from now on: a backend that joins or comes back (healthy again, undrained, its
   * ejection over) while others take traffic ramps from a tenth of its weight to all of it over
   * `ms`; 0 turns it off. Set after the pool's first fill, so the first backends start at full weight.
   */
  setSlowStart(ms: number): void {
    this.slowStartMs = ms;
  }

  /**
   * Time passes: ejections that are over end, slow-start ramps advance. The balancer calls it a few
   * times a second; it looks only at backends that are ejected or ramping.
   */
  tick(): void {
    if (this.timed.size === 0) return;
    const now = this.now();
    let changed = false;
    for (const backend of this.timed) {
      const state = backendState(backend);
      if (state.ejected && now >= state.ejectedUntil) {
        state.ejected = false;
        state.returnedAt = now;
        changed = true;
        this.startSlowStart(backend);
        this.emit({ type: 'outlier', backend, ejected: false, reason: 'ejection time over' });
      }
      this.updateEffectiveWeight(state, now);
      if (!state.ejected && state.rampStartedAt === -1) this.timed.delete(backend);
    }
    if (changed) this.refresh();
  }

  /** A request was forwarded to `backend`. Pair every call with exactly one `release`. */
  acquire(backend: Backend): void {
    const shared = backendShared(backend);
    if (shared === null) {
      const state = backendState(backend);
      state.activeRequests++;
      state.totalRequests++;
      return;
    }
    const slot = backend.slot;
    const i = shared.row * shared.capacity + slot;
    Atomics.add(shared.active, slot, 1);
    shared.activeByWorker[i]++;
    shared.requestsByWorker[i]++;
  }

  /** The request forwarded to `backend` ended, however it ended. */
  release(backend: Backend): void {
    const shared = backendShared(backend);
    if (shared === null) {
      backendState(backend).activeRequests--;
      return;
    }
    Atomics.sub(shared.active, backend.slot, 1);
    shared.activeByWorker[shared.row * shared.capacity + backend.slot]--;
  }

  /**
   * Sets τ of the TTFB peak-EWMA (Finagle's and Linkerd's): at start-up, before any sample. A
   * longer τ forgets old samples more slowly.
   */
  setLatencyDecay(ms: number): void {
    if (!(Number.isFinite(ms) && ms > 0))
      throw new RangeError(`latency decay must be a positive number of ms, got ${ms}`);
    this.decayMs = ms;
  }

  /**
   * A response from `backend` started `ms` after its request was sent. Peak-EWMA: a sample above
   * the current value replaces it at once (a slowing backend is noticed by the next pick); a lower
   * one pulls it down with weight 1 − exp(−Δt/τ), Δt the time since the previous sample, so a
   * backend that recovers is trusted again over about τ. A sample that is not a number ≥ 0 is ignored.
   */
  recordTtfb(backend: Backend, ms: number): void {
    if (!(ms >= 0)) return;
    const state = backendState(backend);
    const now = this.now();
    if (ms > state.ttfbEwmaMs) {
      state.ttfbEwmaMs = ms;
    } else {
      const keep = Math.exp(-Math.max(now - state.ttfbSampledAt, 0) / this.decayMs);
      state.ttfbEwmaMs = state.ttfbEwmaMs * keep + ms * (1 - keep);
    }
    state.ttfbSampledAt = now;
    state.ttfbSamples++;
  }

  /** Sum of in-flight requests over every backend (removed ones are no longer counted). */
  activeRequests(): number {
    let n = 0;
    for (const b of this.byUrl.values()) n += b.activeRequests;
    return n;
  }

  /** Follows every change (see `PoolEvent`); returns the function that stops following. */
  on(listener: (event: PoolEvent) => void): () => void {
    return this.changes.on(listener);
  }

  private countOutlierFailure(backend: Backend, state: BackendState, reason: string): void {
    const threshold = this.outliers.consecutive5xx;
    if (threshold === 0 || state.ejected) return;
    const shared = backendShared(backend);
    if (shared === null) {
      if (++state.consecutive5xx >= threshold) this.eject(backend, reason);
    } else if (Atomics.add(shared.consecutive5xx, backend.slot, 1) + 1 === threshold) {
      // Exactly one thread sees the run reach the threshold: it tells the main thread, which decides.
      if (this.decisions !== null) this.decisions.outlierRun(backend, reason);
      else this.reportedOutlierRun(backend, reason);
    }
  }

  /**
   * Ejects `backend` for k × the base time (k: ejections in a row, reset after a clean base time
   * back in the pool), unless that would eject more than the policy's share of the pool.
   */
  private eject(backend: Backend, reason: string): void {
    const state = backendState(backend);
    if (state.ejected || !this.byUrl.has(backend.url)) return;
    let ejected = 0;
    for (const b of this.byUrl.values()) if (b.ejected) ejected++;
    const allowed = Math.max(1, Math.floor((this.byUrl.size * this.outliers.maxEjectedPercent) / 100));
    if (ejected >= allowed) return; // beyond the cap a failing backend stays in
    const now = this.now();
    if (now - state.returnedAt >= this.outliers.ejectionMs) state.ejections = 0;
    state.ejections = Math.min(state.ejections + 1, MAX_EJECTION_MULTIPLIER);
    state.ejected = true;
    const ms = state.ejections * this.outliers.ejectionMs;
    state.ejectedUntil = now + ms;
    state.ejectionEndsAt = Date.now() + ms;
    state.consecutive5xx = 0;
    const shared = backendShared(backend);
    if (shared !== null) Atomics.store(shared.consecutive5xx, backend.slot, 0);
    this.timed.add(backend);
    this.refresh();
    this.emit({ type: 'outlier', backend, ejected: true, reason });
  }

  /** Remembers a health flip; true when the last `FLAPS_TO_HOLD` flips fell within the flap window. */
  private flapped(state: BackendState): boolean {
    if (this.outliers.flapWindowMs === 0) return false;
    const now = this.now();
    state.flips.push(now);
    if (state.flips.length > FLAPS_TO_HOLD) state.flips.shift();
    return state.flips.length === FLAPS_TO_HOLD && now - state.flips[0] <= this.outliers.flapWindowMs;
  }

  private startSlowStart(backend: Backend): void {
    const state = backendState(backend);
    if (this.slowStartMs === 0 || !this.routableCache.some((b) => b !== backend)) return;
    state.rampStartedAt = this.now();
    state.effectiveWeight = state.weight * SLOW_START_FLOOR;
    this.timed.add(backend);
  }

  private updateEffectiveWeight(state: BackendState, now: number): void {
    if (state.rampStartedAt === -1) {
      state.effectiveWeight = state.weight;
      return;
    }
    const share = (now - state.rampStartedAt) / this.slowStartMs;
    if (share >= 1) {
      state.rampStartedAt = -1;
      state.effectiveWeight = state.weight;
    } else {
      state.effectiveWeight = state.weight * Math.max(SLOW_START_FLOOR, share);
    }
  }

  private emit(event: PoolEvent): void {
    this.changes.emit(event);
  }

  private refresh(): void {
    this.routableCache = [...this.byUrl.values()].filter((b) => b.routable);
  }
}
