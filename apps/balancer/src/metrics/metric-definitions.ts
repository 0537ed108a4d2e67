import { makeCounterProvider, makeGaugeProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { ServerPool } from '@loadex/pool';
import type { Backend } from '@loadex/pool';
import { LATENCY_BUCKETS } from './latency-buckets';
import { RequestTable } from './request-table';

/**
 * Every `golb_` metric the balancer exports. The names and the labels of the first two are the
 * original's, so its Grafana dashboard keeps working; `observability/grafana-dashboard.json` queries them.
 */
export const METRIC = {
  requests: 'golb_requests_total',
  requestDuration: 'golb_request_duration_seconds',
  backendUp: 'golb_backend_up',
  activeRequests: 'golb_backend_active_requests',
  weight: 'golb_backend_weight',
  retries: 'golb_retries_total',
  upstreamErrors: 'golb_upstream_errors_total',
  healthChecks: 'golb_health_checks_total',
  healthCheckDuration: 'golb_health_check_duration_seconds',
  clientTimeouts: 'golb_client_timeouts_total',
  clientConnectionsRejected: 'golb_client_connections_rejected_total',
  retriesRefused: 'golb_retries_refused_total',
  outlierEjections: 'golb_outlier_ejections_total',
  backendEjected: 'golb_backend_ejected',
} as const;

/** The `backend` label of requests that never reached a backend (503: nothing routable). */
export const NO_BACKEND_LABEL = 'none';

export { LATENCY_BUCKETS };

/** A gauge read from the pool at scrape time: one series per backend currently in the pool. */
function backendGauge(name: string, help: string, read: (backend: Backend) => number) {
  return makeGaugeProvider({
    name,
    help,
    labelNames: ['backend'],
    inject: [ServerPool],
    collect(this: Gauge<string>, pool: ServerPool) {
      // Reset first, so a backend removed from the pool leaves no stale series behind.
      this.reset();
      for (const backend of pool.all()) this.set({ backend: backend.url }, read(backend));
    },
  });
}

/** Client-side limits (`ClientLimits`): exported by `MetricsModule` for the provider that counts them. */
export const clientLimitMetricProviders = [
  makeCounterProvider({
    name: METRIC.clientTimeouts,
    help: 'Client connections closed by a client-side timeout, by kind (header: request head not received in time → 408; idle: keep-alive connection idle too long).',
    labelNames: ['kind'],
  }),
  makeCounterProvider({
    name: METRIC.clientConnectionsRejected,
    help: 'Client connections closed at once because --max-connections were open already.',
  }),
];

/** Outlier ejection and the retry budget (`ResilienceMetrics` counts them). */
export const resilienceMetricProviders = [
  makeCounterProvider({
    name: METRIC.retriesRefused,
    help: 'Retries refused by --retry-budget: the request was answered 502 as if no retry were left.',
  }),
  makeCounterProvider({
    name: METRIC.outlierEjections,
    help: 'Times the backend was ejected by passive outlier detection (5xx or failed attempts in a row, or flapping health).',
    labelNames: ['backend'],
  }),
  backendGauge(METRIC.backendEjected, 'Whether the backend is ejected as an outlier now (1) or not (0).', (b) =>
    b.ejected ? 1 : 0,
  ),
];

/** Nest providers for every metric; inject them with `@InjectMetric(METRIC.x)`. */
export const metricProviders = [
  // Counted per request into RequestTable's typed arrays; prom-client reads them at scrape time.
  makeCounterProvider({
    name: METRIC.requests,
    help: 'Client requests finished, by method, status and the backend that answered ("none": no backend was routable).',
    labelNames: ['method', 'status', 'backend'],
    inject: [RequestTable],
    collect(this: Counter<string>, table: RequestTable) {
      table.flushCounter();
    },
  }),
  makeHistogramProvider({
    name: METRIC.requestDuration,
    help: 'Time from the request reaching the balancer to its response ending, in seconds.',
    labelNames: ['method', 'status', 'backend'],
    buckets: [...LATENCY_BUCKETS],
    inject: [RequestTable],
    collect(this: Histogram<string>, table: RequestTable) {
      table.flushHistogram();
    },
  }),
  makeCounterProvider({
    name: METRIC.retries,
    help: 'Requests re-sent to another backend after this backend failed them, by reason (refused, reset).',
    labelNames: ['backend', 'reason'],
  }),
  makeCounterProvider({
    name: METRIC.upstreamErrors,
    help: 'Forwarding attempts that failed at the backend before a response, by kind (refused, reset, timeout, other).',
    labelNames: ['backend', 'kind'],
  }),
  makeCounterProvider({
    name: METRIC.healthChecks,
    help: 'Active health checks finished, by result (pass, fail).',
    labelNames: ['backend', 'result'],
  }),
  makeHistogramProvider({
    name: METRIC.healthCheckDuration,
    help: 'Time an active health check took, in seconds.',
    labelNames: ['backend'],
    buckets: [...LATENCY_BUCKETS],
  }),
  backendGauge(METRIC.backendUp, 'Whether the backend passes its health checks (1) or not (0).', (b) =>
    b.healthy ? 1 : 0,
  ),
  backendGauge(
    METRIC.activeRequests,
    'Requests forwarded to the backend and not yet finished.',
    (b) => b.activeRequests,
  ),
  backendGauge(METRIC.weight, 'The backend weight used by weighted round robin.', (b) => b.weight),
  ...clientLimitMetricProviders,
];
