import { Injectable } from '@nestjs/common';
import { type Backend, ServerPool } from '@loadex/pool';
import { type AlgorithmChoice, type BackendChange, ControlPlane } from './control-plane';
import { ControlStateApplier } from './control-state-applier';

/** Without `--store`: every change goes straight into this process's pool and algorithm. */
@Injectable()
export class LocalControlPlane extends ControlPlane {
  constructor(
    private readonly pool: ServerPool,
    private readonly applier: ControlStateApplier,
  ) {
    super();
  }

  addBackend(url: string, weight: number | undefined): Promise<{ backend: Backend; created: boolean }> {
    const existing = this.pool.get(url);
    if (existing) {
      if (weight !== undefined) this.pool.setWeight(existing, weight);
      return Promise.resolve({ backend: existing, created: false });
    }
    // PoolLimitError when full: a rejected promise, like the store's.
    return Promise.resolve().then(() => this.pool.add(new URL(url), weight ?? 1));
  }

  updateBackend(url: string, { weight, state }: BackendChange): Promise<Backend | undefined> {
    const backend = this.pool.get(url);
    if (backend) {
      if (weight !== undefined) this.pool.setWeight(backend, weight);
      if (state !== undefined) this.pool.setState(backend, state);
    }
    return Promise.resolve(backend);
  }

  removeBackend(url: string): Promise<Backend | undefined> {
    return Promise.resolve(this.pool.remove(url));
  }

  useAlgorithm(algorithm: AlgorithmChoice): Promise<void> {
    this.applier.useAlgorithm(algorithm);
    return Promise.resolve();
  }
}
