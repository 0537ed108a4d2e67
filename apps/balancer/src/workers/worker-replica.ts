import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { type Backend, type PoolDecisions, ServerPool } from '@loadex/pool';
import { WorkerChannel } from './worker-channel';
import { type PoolChange, type ReplicatedBackend, WORKER_START, type WorkerStart } from './worker-protocol';

/**
 * A worker thread's copy of the control state: the main thread's changes applied in version
 * order to this thread's pool and algorithm, each acknowledged. Health and outlier decisions are
 * the main thread's: a failure that would mark a backend down is reported, not acted on here.
 */
@Injectable()
export class WorkerReplica implements PoolDecisions, OnModuleInit {
  private readonly logger = new Logger('Worker');
  private version = 0;

  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly channel: WorkerChannel,
    @Inject(WORKER_START) private readonly start: WorkerStart,
  ) {
    pool.delegateDecisions(this);
  }

  /** The state the main thread had when it started this worker (before slow start is switched on). */
  onModuleInit(): void {
    for (const backend of this.start.backends) this.add(backend);
    this.algorithm.use(this.start.algorithm.name, this.start.algorithm.options);
    this.version = this.start.version;
  }

  apply(version: number, change: PoolChange): void {
    if (version <= this.version) return; // already in the snapshot this worker started from
    this.version = version;
    this.applyChange(change);
    this.channel.post({ type: 'ack', version });
  }

  markDown(backend: Backend, reason: string): void {
    this.channel.post({ type: 'down', slot: backend.slot, reason });
  }

  outlierRun(backend: Backend, reason: string): void {
    this.channel.post({ type: 'outlier-run', slot: backend.slot, reason });
  }

  private applyChange(change: PoolChange): void {
    if (change.type === 'added') {
      this.add(change.backend);
      return;
    }
    if (change.type === 'algorithm') {
      this.algorithm.use(change.name, change.options);
      return;
    }
    if (change.type === 'removed') {
      this.pool.remove(change.url);
      return;
    }
    const backend = this.pool.get(change.url);
    if (!backend) {
      this.logger.warn(`change for unknown backend ${change.url}`);
      return;
    }
    switch (change.type) {
      case 'weight':
        this.pool.setWeight(backend, change.weight);
        break;
      case 'state':
        this.pool.setState(backend, change.state);
        break;
      case 'health':
        this.pool.setHealthy(backend, change.healthy, change.reason);
        break;
      case 'outlier':
        this.pool.setEjected(backend, change.ejected, change.reason);
        break;
    }
  }

  private add(spec: ReplicatedBackend): void {
    const { backend } = this.pool.add(new URL(spec.url), spec.weight, spec.slot);
    if (spec.state !== 'active') this.pool.setState(backend, spec.state);
    if (!spec.healthy) this.pool.setHealthy(backend, false, 'as on the main thread');
    if (spec.ejected) this.pool.setEjected(backend, true, 'as on the main thread');
  }
}
