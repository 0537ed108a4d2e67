/**
 * The replica part of the admin API (`--store`): GET /api/instances, and the `instance` and
 * `cluster` fields of GET /api/stats. Shared by the balancer, the CLI and the dashboard.
 */
import type { BackendStatsView, StatsSnapshot } from './admin-api.types';

/** One live replica as its last heartbeat (at most 5 s old) describes it: its own traffic and health view. */
export interface InstanceView {
  instance: string;
  /** True for the replica that answered this request. */
  self: boolean;
  /** ISO time of the heartbeat. */
  at: string;
  uptimeSeconds: number;
  algorithm: string;
  /** The control-state version this replica has applied. */
  version: number;
  totals: StatsSnapshot['totals'];
  /** Every backend as this replica sees it: its own health checks and its own traffic. */
  backends: BackendStatsView[];
}

/** GET /api/instances */
export interface InstancesView {
  /** This replica's name. */
  instance: string;
  /**
   * The store (password masked), whether it answers, and the control-state version this replica
   * applied; null without --store.
   */
  store: { url: string; up: boolean; version: number } | null;
  /** Live replicas, by name; without --store, or while the store does not answer, only this one. */
  instances: InstanceView[];
}

/** One backend over every live replica. */
export interface ClusterBackendStats {
  url: string;
  requests: number;
  errors: number;
  activeRequests: number;
  rps: number;
  /** How many replicas see it healthy, of `instances`. */
  healthyOn: number;
  instances: number;
}

/** The `cluster` field of GET /api/stats with --store: sums over the live replicas. */
export interface ClusterStats {
  instances: string[];
  totals: { requests: number; errors: number; activeRequests: number; rps: number };
  /** Each live replica's own totals (as in its `/api/stats`), by name. */
  perInstance: Array<{ instance: string; totals: StatsSnapshot['totals'] }>;
  backends: ClusterBackendStats[];
}
