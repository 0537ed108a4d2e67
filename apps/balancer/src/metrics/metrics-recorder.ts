import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { type Backend, ServerPool } from '@loadex/pool';
import { TrafficObserver } from '../traffic/traffic-observer';
import type { HealthCheckResult, TrafficSink, UpstreamErrorKind } from '../traffic/traffic-sink';
import { BackendSeries } from './backend-series';
import { METRIC, NO_BACKEND_LABEL } from './metric-definitions';
import { RequestTable } from './request-table';
import type { TrafficMetrics } from './traffic-metrics';

/**
 * Records traffic into the Prometheus metrics: the one place metrics are written. It follows the
 * pool, so a backend's series exist from the moment it is added and disappear when it is removed.
 */
@Injectable()
export class MetricsRecorder implements TrafficSink, OnModuleInit, OnModuleDestroy {
  private readonly metrics: TrafficMetrics;
  private readonly series = new Map<Backend, BackendSeries>();
  private readonly noBackend: BackendSeries;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pool: ServerPool,
    private readonly traffic: TrafficObserver,
    private readonly table: RequestTable,
    @InjectMetric(METRIC.requests) requests: Counter<string>,
    @InjectMetric(METRIC.requestDuration) requestDuration: Histogram<string>,
    @InjectMetric(METRIC.retries) retries: Counter<string>,
    @InjectMetric(METRIC.upstreamErrors) upstreamErrors: Counter<string>,
    @InjectMetric(METRIC.healthChecks) healthChecks: Counter<string>,
    @InjectMetric(METRIC.healthCheckDuration) healthCheckDuration: Histogram<string>,
  ) {
    this.metrics = { requests, requestDuration, retries, upstreamErrors, healthChecks, healthCheckDuration };
    this.noBackend = new BackendSeries(NO_BACKEND_LABEL, this.metrics, this.table);
  }

  onModuleInit(): void {
    this.unsubscribe = this.pool.on((event) => {
      if (event.type === 'added') this.track(event.backend);
      else if (event.type === 'removed') this.untrack(event.backend);
    });
    for (const backend of this.pool.all()) this.track(backend);
    this.traffic.register(this);
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  requestFinished(backend: Backend | undefined, method: string, status: number, seconds: number): void {
    const series = backend === undefined ? this.noBackend : this.seriesOf(backend);
    if (series === undefined) return;
    this.table.record(series.request(method, status).slot, seconds);
  }

  retried(backend: Backend, reason: UpstreamErrorKind): void {
    this.seriesOf(backend)?.retry(reason).inc();
  }

  upstreamError(backend: Backend, kind: UpstreamErrorKind): void {
    this.seriesOf(backend)?.upstreamError(kind).inc();
  }

  healthChecked(result: HealthCheckResult): void {
    const series = this.seriesOf(result.backend);
    if (series === undefined) return;
    series.healthCheck(result.passed).inc();
    series.healthCheckDuration().observe(result.seconds);
  }

  /**
   * The backend's series; undefined once it has left the pool, so a request still in flight when
   * its backend was removed does not bring the removed backend's series back.
   */
  private seriesOf(backend: Backend): BackendSeries | undefined {
    return this.series.get(backend) ?? (this.pool.get(backend.url) === backend ? this.track(backend) : undefined);
  }

  private track(backend: Backend): BackendSeries {
    let series = this.series.get(backend);
    if (series === undefined) {
      series = new BackendSeries(backend.url, this.metrics, this.table);
      series.initialise();
      this.series.set(backend, series);
    }
    return series;
  }

  private untrack(backend: Backend): void {
    this.series.get(backend)?.remove();
    this.series.delete(backend);
  }
}
