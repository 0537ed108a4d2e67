import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { type Backend, ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { TrafficObserver } from '../traffic/traffic-observer';
import { probe } from './health-probe';

const JOB = 'health-checks';

/**
 * Active health checks: every --health-interval, all backends in parallel, each bounded by
 * --health-timeout; --health-rise passes bring a backend up, --health-fall failures take it down.
 * A backend added at runtime is checked at once.
 */
@Injectable()
export class HealthChecker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Health');
  private readonly inFlight = new Set<Backend>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pool: ServerPool,
    private readonly scheduler: SchedulerRegistry,
    private readonly traffic: TrafficObserver,
    @Inject(BALANCER_CONFIG) private readonly config: BalancerConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.checkAll(), this.config.healthIntervalMs),
    );
    this.unsubscribe = this.pool.on((event) => {
      if (event.type === 'added') void this.check(event.backend);
    });
    void this.checkAll();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }

  checkAll(): Promise<void[]> {
    return Promise.all(this.pool.all().map((backend) => this.check(backend)));
  }

  async check(backend: Backend): Promise<void> {
    if (this.inFlight.has(backend)) return; // the previous check of this backend is still running
    this.inFlight.add(backend);
    const started = performance.now();
    try {
      const { passed, detail } = await probe(backend.target, this.config.healthPath, this.config.healthTimeoutMs);
      const elapsed = performance.now() - started;
      this.traffic.healthChecked({ backend, passed, seconds: elapsed / 1000, detail });
      const { healthRise, healthFall } = this.config;
      this.pool.recordCheck(backend, passed, Math.round(elapsed * 10) / 10, detail, healthRise, healthFall);
    } catch (err) {
      this.logger.error(`health check of ${backend.url} crashed: ${(err as Error).message}`);
    } finally {
      this.inFlight.delete(backend);
    }
  }
}
