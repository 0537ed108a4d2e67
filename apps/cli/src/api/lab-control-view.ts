/**
 * What the lab relay (`GET|PUT /api/backends/control?url=`, balancer started with `--lab`) answers
 * with: a demo backend's switches and its own count of requests served.
 */
export interface LabControlView {
  url: string;
  healthy: boolean;
  latencyMs: number;
  /** Share of requests the backend answers with 500, 0–1. */
  failRate: number;
  served: number;
}

/** What the lab may change on a demo backend (any subset). */
export interface LabControlChange {
  healthy?: boolean;
  latencyMs?: number;
  failRate?: number;
}
