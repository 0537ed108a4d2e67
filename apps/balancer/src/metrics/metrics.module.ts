import { Module, OnModuleInit } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { register } from 'prom-client';
import { dropMisnamedDefaultMetrics } from './default-metrics';
import { clientLimitMetricProviders, metricProviders, resilienceMetricProviders } from './metric-definitions';
import { MetricsRecorder } from './metrics-recorder';
import { RequestTable } from './request-table';
import { ResilienceMetrics } from './resilience-metrics';

/**
 * Prometheus metrics at GET /metrics (the admin listener): the `golb_` metrics, recorded from the
 * traffic observer and read from the pool at scrape time, plus Node's default process metrics.
 */
@Module({
  imports: [PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })],
  providers: [RequestTable, ...metricProviders, ...resilienceMetricProviders, MetricsRecorder, ResilienceMetrics],
  exports: clientLimitMetricProviders,
})
export class MetricsModule implements OnModuleInit {
  onModuleInit(): void {
    dropMisnamedDefaultMetrics(register);
  }
}
