import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { ServerPool } from '@loadex/pool';
import { TrafficObserver } from '../traffic/traffic-observer';
import { METRIC } from './metric-definitions';

/**
 * Counts outlier ejections (from the pool's events) and retries refused by the retry budget (from
 * the traffic events). Both are rare: a labelled child per event costs nothing that matters here.
 */
@Injectable()
export class ResilienceMetrics implements OnModuleInit, OnModuleDestroy {
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly pool: ServerPool,
    private readonly traffic: TrafficObserver,
    @InjectMetric(METRIC.retriesRefused) private readonly retriesRefused: Counter<string>,
    @InjectMetric(METRIC.outlierEjections) private readonly ejections: Counter<string>,
  ) {}

  onModuleInit(): void {
    for (const backend of this.pool.all()) this.ejections.inc({ backend: backend.url }, 0);
    this.unsubscribers.push(
      this.pool.on((event) => {
        const backend = event.backend.url;
        if (event.type === 'added') this.ejections.inc({ backend }, 0);
        else if (event.type === 'removed') this.ejections.remove({ backend });
        else if (event.type === 'outlier' && event.ejected) this.ejections.inc({ backend });
      }),
      this.traffic.refusedRetries.on(() => this.retriesRefused.inc()),
    );
  }

  onModuleDestroy(): void {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
  }
}
