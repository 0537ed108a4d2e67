import type { Counter, Histogram } from 'prom-client';
import type { UpstreamErrorKind } from '../traffic/traffic-sink';
import type { RequestSeries, RequestTable } from './request-table';
import type { TrafficMetrics } from './traffic-metrics';

/** Reasons a retry or an upstream error is counted under from the start (0 until it happens). */
const RETRY_REASONS: readonly UpstreamErrorKind[] = ['refused', 'reset'];
const ERROR_KINDS: readonly UpstreamErrorKind[] = ['refused', 'reset', 'timeout'];

/**
 * Every series of one `backend` label value, each resolved once with `labels(...)` and then reused,
 * so recording a request is two small map lookups (method, then status) and a write into the
 * request table's typed arrays: Loadex builds no label strings or objects per request. `remove()` deletes them all from the
 * metrics (the backend left the pool).
 */
export class BackendSeries {
  private readonly byMethod = new Map<string, Map<number, RequestSeries>>();
  private readonly retryCounters = new Map<UpstreamErrorKind, Counter.Internal>();
  private readonly errorCounters = new Map<UpstreamErrorKind, Counter.Internal>();
  private healthPass: Counter.Internal | undefined;
  private healthFail: Counter.Internal | undefined;
  private healthDuration: Histogram.Internal<string> | undefined;

  constructor(
    readonly label: string,
    private readonly metrics: TrafficMetrics,
    private readonly table: RequestTable,
  ) {}

  /** Creates the series of a real backend at 0, so rates and increases exist before the first event. */
  initialise(): void {
    for (const reason of RETRY_REASONS) this.retry(reason).inc(0);
    for (const kind of ERROR_KINDS) this.upstreamError(kind).inc(0);
    this.healthCheck(true).inc(0);
    this.healthCheck(false).inc(0);
  }

  request(method: string, status: number): RequestSeries {
    let byStatus = this.byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      this.byMethod.set(method, byStatus);
    }
    let series = byStatus.get(status);
    if (series === undefined) {
      const labels = { method, status: String(status), backend: this.label };
      series = this.table.open(labels, this.metrics.requests, this.metrics.requestDuration);
      byStatus.set(status, series);
    }
    return series;
  }

  retry(reason: UpstreamErrorKind): Counter.Internal {
    let counter = this.retryCounters.get(reason);
    if (counter === undefined) {
      counter = this.metrics.retries.labels({ backend: this.label, reason });
      this.retryCounters.set(reason, counter);
    }
    return counter;
  }

  upstreamError(kind: UpstreamErrorKind): Counter.Internal {
    let counter = this.errorCounters.get(kind);
    if (counter === undefined) {
      counter = this.metrics.upstreamErrors.labels({ backend: this.label, kind });
      this.errorCounters.set(kind, counter);
    }
    return counter;
  }

  healthCheck(passed: boolean): Counter.Internal {
    if (passed) {
      return (this.healthPass ??= this.metrics.healthChecks.labels({ backend: this.label, result: 'pass' }));
    }
    return (this.healthFail ??= this.metrics.healthChecks.labels({ backend: this.label, result: 'fail' }));
  }

  healthCheckDuration(): Histogram.Internal<string> {
    return (this.healthDuration ??= this.metrics.healthCheckDuration.labels({ backend: this.label }));
  }

  /** Deletes every series of this backend from the metrics. */
  remove(): void {
    const backend = this.label;
    for (const byStatus of this.byMethod.values()) {
      for (const series of byStatus.values()) {
        this.metrics.requests.remove(series.labels);
        this.metrics.requestDuration.remove(series.labels);
        this.table.close(series);
      }
    }
    for (const reason of this.retryCounters.keys()) this.metrics.retries.remove({ backend, reason });
    for (const kind of this.errorCounters.keys()) this.metrics.upstreamErrors.remove({ backend, kind });
    if (this.healthPass) this.metrics.healthChecks.remove({ backend, result: 'pass' });
    if (this.healthFail) this.metrics.healthChecks.remove({ backend, result: 'fail' });
    if (this.healthDuration) this.metrics.healthCheckDuration.remove({ backend });
    this.byMethod.clear();
    this.retryCounters.clear();
    this.errorCounters.clear();
    this.healthPass = this.healthFail = this.healthDuration = undefined;
  }
}
