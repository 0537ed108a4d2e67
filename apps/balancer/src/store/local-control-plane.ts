import { Injectable } from '@nestjs/common';
import { type Backend, ServerPool } from '@loadex/pool';
import { StatePersister } from '../state/state-persister';
import { type AlgorithmChoice, type BackendChange, ControlPlane } from './control-plane';
import { ControlStateApplier } from './control-state-applier';

/**
 * Without `--store`: every change goes straight into this process's pool and algorithm, and is
 * answered once it is durable (`StatePersister.flush()`: on disk with --state-file, at once
 * without), so no 2xx goes out for a change that is not on disk.
 */
@Injectable()
export class LocalControlPlane extends ControlPlane {
  constructor(
    private readonly pool: ServerPool,
    private readonly applier: ControlStateApplier,
    private readonly persister: StatePersister,
  ) {
    super();
  }

  async addBackend(url: string, weight: number | undefined): Promise<{ backend: Backend; created: boolean }> {
    const existing = this.pool.get(url);
    if (existing) {
      if (weight !== undefined) this.pool.setWeight(existing, weight);
      await this.persister.flush();
      return { backend: existing, created: false };
    }
    // PoolLimitError when full: a rejected promise, like the store's.
    const added = this.pool.add(new URL(url), weight ?? 1);
    await this.persister.flush();
    return added;
  }

  async updateBackend(url: string, { weight, state }: BackendChange): Promise<Backend | undefined> {
    const backend = this.pool.get(url);
    if (backend) {
      if (weight !== undefined) this.pool.setWeight(backend, weight);
      if (state !== undefined) this.pool.setState(backend, state);
      await this.persister.flush();
    }
    return backend;
  }

  async removeBackend(url: string): Promise<Backend | undefined> {
    const removed = this.pool.remove(url);
    if (removed) await this.persister.flush();
    return removed;
  }

  async useAlgorithm(algorithm: AlgorithmChoice): Promise<void> {
    this.applier.useAlgorithm(algorithm);
    await this.persister.flush();
  }
}
