import type { Registry } from 'prom-client';

/**
 * prom-client's default metrics include three gauges named like counters (`_total`), which
 * `promtool check metrics` rejects and Prometheus' naming rules forbid (prometheus/client_js#283).
 * Their per-type gauges (`nodejs_active_handles{type}` and so on) stay: `sum()` gives the total.
 */
export const MISNAMED_DEFAULT_METRICS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

export function dropMisnamedDefaultMetrics(registry: Registry): void {
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
}
