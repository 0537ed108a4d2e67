import type { Counter, Histogram } from 'prom-client';

/** The event-driven metrics the recorder writes to (the gauges read the pool by themselves). */
export interface TrafficMetrics {
  requests: Counter<string>;
  requestDuration: Histogram<string>;
  retries: Counter<string>;
  upstreamErrors: Counter<string>;
  healthChecks: Counter<string>;
  healthCheckDuration: Histogram<string>;
}
