/**
 * The admin REST API's response shapes: the contract between the balancer (the admin controllers),
 * the `loadex` CLI and the dashboard. All three import these types, so they always agree.
 */

/** Admin state of a backend: `draining` takes no new requests while its in-flight ones finish. */
export type AdminState = 'active' | 'draining';
import type { ClusterStats } from './instances-api.types';

/** GET /api/backends → BackendView[]; POST/PATCH /api/backends → BackendView. */
export interface BackendView {
  url: string;
  weight: number;
  healthy: boolean;
  state: AdminState;
  activeRequests: number;
  totalRequests: number;
  failures: number;
  /** ISO time of the last finished health check, or null before the first. */
  lastCheckAt: string | null;
  lastCheckMs: number | null;
  /** The weight the algorithms use now: `weight`, or less while slow start ramps the backend up. */
  effectiveWeight: number;
  /** Passive outlier detection: ejected now, ejections in a row, and when this one ends (ISO). */
  outlier: OutlierView;
}

export interface OutlierView {
  ejected: boolean;
  ejections: number;
  /** ISO time the current ejection ends; null when not ejected. */
  until: string | null;
}

/** Latency percentiles in milliseconds over the recent window; null when there were no requests. */
export interface LatencyView {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface BackendStatsView {
  url: string;
  weight: number;
  healthy: boolean;
  state: AdminState;
  /** Requests sent to this backend since start (== BackendView.totalRequests). */
  requests: number;
  /** Responses with status >= 500 plus failed attempts (refused, reset, timeout) since start. */
  errors: number;
  activeRequests: number;
  /** Requests per second over the last 10 s. */
  rps: number;
  latency: LatencyView;
  /** Passive outlier detection (absent in heartbeats from older replicas). */
  outlier?: OutlierView;
}

/** GET /api/stats, and the `stats` event of GET /api/events every second. */
export interface StatsSnapshot {
  /** ISO time the snapshot was taken. */
  at: string;
  uptimeSeconds: number;
  algorithm: string;
  totals: {
    /** Client requests finished since start, including 502/503/504 answered by the balancer. */
    requests: number;
    errors: number;
    activeRequests: number;
    rps: number;
    latency: LatencyView;
  };
  backends: BackendStatsView[];
  /** With --store: this replica's name and the sums over every live replica (see instances-api.types). */
  instance?: string;
  cluster?: ClusterStats;
}

/** One second of the recent past, as the charts need it: request counts so far and latency. */
export interface StatsHistoryPoint {
  /** ISO time the point was taken. */
  at: string;
  totals: { requests: number; latency: LatencyView };
  /** Every backend in the pool at that time, with its requests since start. */
  backends: { url: string; requests: number }[];
}

/**
 * The `history` event of GET /api/events, sent first on every connection: one point a second
 * over the last five minutes (fewer just after start), oldest first, so charts open with a past.
 */
export interface StatsHistoryMessage {
  points: StatsHistoryPoint[];
}

/** GET /api/info */
export interface InfoView {
  algorithm: string;
  version: string;
  uptimeSeconds: number;
  backends: number;
}

/** GET /api/algorithm, PUT /api/algorithm */
export interface AlgorithmView {
  algorithm: string;
  /** The options in use, every one filled in (defaults included); `{}` for an algorithm without. */
  options: Record<string, unknown>;
  available: string[];
}

/**
 * The `pool` event of GET /api/events, sent on every change. `backend` is the backend after the
 * change (absent for `algorithm`).
 */
export type PoolChangeMessage =
  | { type: 'added' | 'removed'; backend: BackendView }
  | { type: 'weight'; backend: BackendView; weight: number }
  | { type: 'state'; backend: BackendView; state: AdminState }
  | { type: 'health'; backend: BackendView; healthy: boolean; reason: string }
  | { type: 'outlier'; backend: BackendView; ejected: boolean; reason: string }
  | { type: 'algorithm'; algorithm: string };

/** Every admin error: 400 (validation), 401, 403, 404, 409, 413. */
export interface ApiError {
  statusCode: number;
  message: string;
  error?: string;
}
