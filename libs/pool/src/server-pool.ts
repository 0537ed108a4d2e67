import { Inject, Injectable, Optional } from '@nestjs/common';
import type { AdminState } from '@loadex/api';
import { Backend, backendState } from './backend';
import type { PoolEvent } from './pool-events';
import { Signal } from './signal';

export const MAX_BACKENDS = 1000;

/** The default `latencyDecayMs`: the TTFB EWMA forgets old samples over about 10 s. */
export const DEFAULT_LATENCY_DECAY_MS = 10_000;

/** A monotonic clock in ms, `performance.now()` unless a test provides one under `POOL_CLOCK`. */
export type PoolClock = () => number;
export const POOL_CLOCK = Symbol('POOL_CLOCK');

export class PoolLimitError extends Error {}

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

  constructor(@Optional() @Inject(POOL_CLOCK) clock?: PoolClock) {
    this.now = clock ?? (() => performance.now());
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
  add(target: URL, weight = 1): { readonly backend: Backend; readonly created: boolean } {
    const existing = this.byUrl.get(target.origin);
    if (existing) return { backend: existing, created: false };
    if (this.byUrl.size >= MAX_BACKENDS) {
      throw new PoolLimitError(`the pool already holds the maximum of ${MAX_BACKENDS} backends`);
    }
    const backend = new Backend(target, weight);
    this.byUrl.set(backend.url, backend);
    this.refresh();
    this.emit({ type: 'added', backend });
    return { backend, created: true };
  }

  /** Removes a backend: it takes no new requests; requests already on it finish normally. */
  remove(url: string): Backend | undefined {
    const backend = this.byUrl.get(url);
    if (!backend) return undefined;
    this.byUrl.delete(url);
    this.refresh();
    this.emit({ type: 'removed', backend });
    return backend;
  }

  setWeight(backend: Backend, weight: number): void {
    const state = backendState(backend);
    if (state.weight === weight) return;
    state.weight = weight;
    this.emit({ type: 'weight', backend, weight });
  }

  setState(backend: Backend, adminState: AdminState): void {
    const state = backendState(backend);
    if (state.state === adminState) return;
    state.state = adminState;
    this.refresh();
    this.emit({ type: 'state', backend, state: adminState });
  }

  /** Flips health; a no-op (and no event) when the state does not change. */
  setHealthy(backend: Backend, healthy: boolean, reason: string): void {
    const state = backendState(backend);
    if (state.healthy === healthy || !this.byUrl.has(backend.url)) return;
    state.healthy = healthy;
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
      }
    } else {
      state.consecutiveFailures++;
      state.consecutivePasses = 0;
      if (state.healthy && state.consecutiveFailures >= fall) {
        this.setHealthy(backend, false, `${state.consecutiveFailures} failed check(s), last: ${detail}`);
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
    state.failures++;
    if (markDown && state.healthy) {
      state.consecutivePasses = 0;
      this.setHealthy(backend, false, `${kind} while proxying`);
    }
  }

  /** A request was forwarded to `backend`. Pair every call with exactly one `release`. */
  acquire(backend: Backend): void {
    const state = backendState(backend);
    state.activeRequests++;
    state.totalRequests++;
  }

  /** The request forwarded to `backend` ended, however it ended. */
  release(backend: Backend): void {
    backendState(backend).activeRequests--;
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

  private emit(event: PoolEvent): void {
    this.changes.emit(event);
  }

  private refresh(): void {
    this.routableCache = [...this.byUrl.values()].filter((b) => b.routable);
  }
}
