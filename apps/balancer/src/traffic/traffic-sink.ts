import type { Backend } from '@loadex/pool';

/** Why a request failed at a backend before it produced a response. */
export type UpstreamErrorKind = 'refused' | 'reset' | 'timeout' | 'other';

/**
 * Something that wants to know about traffic (metrics, stats windows). The proxy reports to all
 * sinks through `TrafficObserver` (`register` subscribes a sink to its signals), once per event, so
 * recording lives in one place.
 */
export interface TrafficSink {
  /** A client request ended. `backend` is undefined when it never reached one (503). */
  requestFinished(backend: Backend | undefined, method: string, status: number, seconds: number): void;
  /** A request failed at `backend` and will be tried on another one. */
  retried?(backend: Backend, reason: UpstreamErrorKind): void;
  /** The retry budget refused a retry after `backend` failed (the request got 502). */
  retryRefused?(backend: Backend): void;
  upstreamError?(backend: Backend, kind: UpstreamErrorKind): void;
  /** An active health check finished. */
  healthChecked?(result: HealthCheckResult): void;
}

export interface HealthCheckResult {
  readonly backend: Backend;
  readonly passed: boolean;
  readonly seconds: number;
  /** Why it failed: a status code or an error code. */
  readonly detail: string;
}
