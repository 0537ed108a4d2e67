import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { AdminState } from './backend';
import { Backend } from './backend';
import type { PoolEvent } from './pool-events';

export const MAX_BACKENDS = 1000;

export class PoolLimitError extends Error {}

/**
 * The set of backends and their live state. It decides who may take a new request (`routable()`)
 * and keeps the connection accounting; it never forwards anything.
 */
@Injectable()
export class ServerPool {
  private readonly byUrl = new Map<string, Backend>();
  /** Rebuilt on every change, so the hot path reads a ready array and allocates nothing. */
  private routableCache: readonly Backend[] = [];
  private readonly emitter = new EventEmitter();

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
  add(target: URL, weight = 1): { backend: Backend; created: boolean } {
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
    if (backend.weight === weight) return;
    backend.weight = weight;
    this.emit({ type: 'weight', backend, weight });
  }

  setState(backend: Backend, state: AdminState): void {
    if (backend.state === state) return;
    backend.state = state;
    this.refresh();
    this.emit({ type: 'state', backend, state });
  }

  /** Flips health; a no-op (and no event) when the state does not change. */
  setHealthy(backend: Backend, healthy: boolean, reason: string): void {
    if (backend.healthy === healthy || !this.byUrl.has(backend.url)) return;
    backend.healthy = healthy;
    this.refresh();
    this.emit({ type: 'health', backend, healthy, reason });
  }

  /**
   * Passive health: a request failed at `backend` with `kind` (refused, reset, timeout, other).
   * Counts the failure; when `markDown` and the backend is healthy, takes it down with the reason
   * "<kind> while proxying" (its next passing check brings it back).
   */
  reportFailure(backend: Backend, kind: string, markDown: boolean): void {
    backend.failures++;
    if (markDown && backend.healthy) {
      backend.consecutivePasses = 0;
      this.setHealthy(backend, false, `${kind} while proxying`);
    }
  }

  /** A request was forwarded to `backend`. Pair every call with exactly one `release`. */
  acquire(backend: Backend): void {
    backend.activeRequests++;
    backend.totalRequests++;
  }

  /** The request forwarded to `backend` ended, however it ended. */
  release(backend: Backend): void {
    backend.activeRequests--;
  }

  /** Sum of in-flight requests over every backend (removed ones are no longer counted). */
  activeRequests(): number {
    let n = 0;
    for (const b of this.byUrl.values()) n += b.activeRequests;
    return n;
  }

  on(listener: (event: PoolEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  private emit(event: PoolEvent): void {
    this.emitter.emit('event', event);
  }

  private refresh(): void {
    this.routableCache = [...this.byUrl.values()].filter((b) => b.routable);
  }
}
