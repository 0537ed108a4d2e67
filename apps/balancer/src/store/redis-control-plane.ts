import { Injectable } from '@nestjs/common';
import { Backend, MAX_BACKENDS, PoolLimitError, ServerPool } from '@loadex/pool';
import { type AlgorithmChoice, type BackendChange, ControlPlane } from './control-plane';
import type { ControlSnapshot } from './control-snapshot';
import { type ControlOp, type ControlResult, ControlStore } from './control-store';
import { StoreUnavailableError } from './store-errors';
import { StoreSync } from './store-sync';

/**
 * With `--store`: every change is made in Redis first, by the control script (atomic, version
 * bumped, published); the answer waits until Redis confirmed it and this replica applied the state
 * the script returned. A change Redis refused or did not confirm changes nothing here either.
 */
@Injectable()
export class RedisControlPlane extends ControlPlane {
  constructor(
    private readonly store: ControlStore,
    private readonly sync: StoreSync,
    private readonly pool: ServerPool,
  ) {
    super();
  }

  async addBackend(url: string, weight: number | undefined): Promise<{ backend: Backend; created: boolean }> {
    const { code, snapshot } = await this.change('add', url, weight ?? '', MAX_BACKENDS);
    if (code === 'FULL') throw new PoolLimitError(`the pool already holds the maximum of ${MAX_BACKENDS} backends`);
    return { backend: this.backendAfter(url, snapshot), created: code === 'CREATED' };
  }

  async updateBackend(url: string, { weight, state }: BackendChange): Promise<Backend | undefined> {
    const { code, snapshot } = await this.change('update', url, weight ?? '', state ?? '');
    return code === 'MISSING' ? undefined : this.backendAfter(url, snapshot);
  }

  async removeBackend(url: string): Promise<Backend | undefined> {
    const before = this.pool.get(url);
    const { code } = await this.change('remove', url);
    if (code === 'MISSING') return undefined;
    return before ?? new Backend(new URL(url));
  }

  async useAlgorithm(algorithm: AlgorithmChoice): Promise<void> {
    await this.change('algorithm', JSON.stringify({ name: algorithm.name, options: algorithm.options }));
  }

  /** Runs one change; an empty store is seeded from this replica's state first, then the change retried. */
  private async change(op: ControlOp, ...args: Array<string | number>): Promise<ControlResult> {
    let result = await this.store.run(op, ...args);
    if (result.code === 'EMPTY') {
      await this.sync.resync();
      result = await this.store.run(op, ...args);
    }
    if (result.code === 'EXPIRED') {
      throw new StoreUnavailableError('Redis ran the change too late, so it refused it; nothing was changed');
    }
    if (result.code === 'EMPTY') throw new StoreUnavailableError('the store is empty and could not be seeded');
    this.sync.accept(result.snapshot);
    return result;
  }

  /** The backend as the pool has it now; one detached from the pool if a later change removed it already. */
  private backendAfter(url: string, snapshot: ControlSnapshot): Backend {
    const inPool = this.pool.get(url);
    if (inPool) return inPool;
    const stored = snapshot.backends.find((b) => b.url === url);
    // A pool of its own, so even a detached backend is written only by a pool.
    const detached = new ServerPool();
    const { backend } = detached.add(new URL(url), stored?.weight ?? 1);
    if (stored) detached.setState(backend, stored.state);
    return backend;
  }
}
