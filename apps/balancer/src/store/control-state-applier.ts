import { Injectable } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { PoolLimitError, ServerPool } from '@loadex/pool';
import { PoolChanges } from '../pool-changes/pool-changes';
import type { AlgorithmChoice } from './control-plane';
import type { ControlSnapshot } from './control-snapshot';

/**
 * Makes this process's pool and algorithm what a control state says, through the pool's own
 * methods (so every change is an ordinary pool event: SSE, logs, metrics). Health, counters and
 * in-flight requests of the backends that stay are untouched.
 */
@Injectable()
export class ControlStateApplier {
  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly changes: PoolChanges,
  ) {}

  useAlgorithm({ name, options }: AlgorithmChoice): void {
    if (this.algorithm.use(name, options)) this.changes.algorithmChanged(this.algorithm.name);
  }

  apply(snapshot: ControlSnapshot): void {
    const wanted = new Set(snapshot.backends.map((b) => b.url));
    for (const backend of this.pool.all()) {
      if (!wanted.has(backend.url)) this.pool.remove(backend.url);
    }
    for (const { url, weight, state } of snapshot.backends) {
      let backend = this.pool.get(url);
      if (!backend) {
        try {
          backend = this.pool.add(new URL(url), weight).backend;
        } catch (err) {
          if (err instanceof PoolLimitError) break;
          throw err;
        }
      }
      this.pool.setWeight(backend, weight);
      this.pool.setState(backend, state);
    }
    if (snapshot.algorithm) this.useAlgorithm(snapshot.algorithm);
  }
}
