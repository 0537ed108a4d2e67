import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { PoolChangeMessage } from '@loadex/api';
import { type PoolEvent, ServerPool, Signal } from '@loadex/pool';
import { toBackendView } from './backend-view';

/**
 * Every change of the pool (added, removed, weight, drain state, health) and of the algorithm, as
 * `PoolChangeMessage`s: what the SSE stream sends and what the state file is saved on.
 */
@Injectable()
export class PoolChanges implements OnModuleInit, OnModuleDestroy {
  private readonly changes = new Signal<[change: PoolChangeMessage]>();
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly pool: ServerPool) {}

  onModuleInit(): void {
    this.unsubscribe = this.pool.on((event) => this.changes.emit(toMessage(event)));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Follows every change; returns the function that stops following. */
  on(listener: (change: PoolChangeMessage) => void): () => void {
    return this.changes.on(listener);
  }

  /** The algorithm was switched at runtime. */
  algorithmChanged(algorithm: string): void {
    this.changes.emit({ type: 'algorithm', algorithm });
  }
}

function toMessage(event: PoolEvent): PoolChangeMessage {
  const backend = toBackendView(event.backend);
  switch (event.type) {
    case 'added':
    case 'removed':
      return { type: event.type, backend };
    case 'weight':
      return { type: 'weight', backend, weight: event.weight };
    case 'state':
      return { type: 'state', backend, state: event.state };
    case 'health':
      return { type: 'health', backend, healthy: event.healthy, reason: event.reason };
    case 'outlier':
      return { type: 'outlier', backend, ejected: event.ejected, reason: event.reason };
  }
}
