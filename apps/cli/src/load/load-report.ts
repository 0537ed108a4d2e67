import type { StatsSnapshot } from '@loadex/api';
import { sortByUrl } from '../output/sort-by-url';
import { type LatencySummary, summarizeLatencies } from './latency-percentiles';
import type { LoadPlan, LoadTally } from './load-plan';

export interface BackendShare {
  url: string;
  /** Requests the balancer sent to this backend during the run (its own counter, after − before). */
  requests: number;
  /** Share of all requests the balancer forwarded during the run, 0–100. */
  percent: number;
}

/** The summary of `make-request` (also its `--json` output). */
export interface LoadReport {
  target: string;
  method: string;
  concurrency: number;
  count: number | null;
  durationMs: number | null;
  interrupted: boolean;
  sent: number;
  succeeded: number;
  failed: number;
  /** Failed requests by HTTP status or network reason. */
  failures: Record<string, number>;
  elapsedSeconds: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  /** Per-backend distribution from the balancer's `/api/stats` counters, before and after the run. */
  distribution: BackendShare[];
}

/** The per-backend requests the balancer counted between two snapshots (backends in the later one). */
export function distributionBetween(before: StatsSnapshot, after: StatsSnapshot): BackendShare[] {
  const previous = new Map(before.backends.map((b) => [b.url, b.requests]));
  const deltas = after.backends.map((b) => ({
    url: b.url,
    requests: Math.max(0, b.requests - (previous.get(b.url) ?? 0)),
  }));
  const total = deltas.reduce((sum, d) => sum + d.requests, 0);
  return sortByUrl(deltas).map((d) => ({
    ...d,
    percent: total > 0 ? Math.round((d.requests / total) * 10_000) / 100 : 0,
  }));
}

export function buildLoadReport(plan: LoadPlan, tally: LoadTally, distribution: BackendShare[]): LoadReport {
  const failed = tally.sent - tally.succeeded;
  const elapsedSeconds = tally.elapsedMs / 1000;
  return {
    target: plan.target.href,
    method: plan.method,
    concurrency: plan.concurrency,
    count: plan.count,
    durationMs: plan.durationMs,
    interrupted: tally.interrupted,
    sent: tally.sent,
    succeeded: tally.succeeded,
    failed,
    failures: Object.fromEntries([...tally.failures].sort(([, a], [, b]) => b - a)),
    elapsedSeconds: Math.round(elapsedSeconds * 1000) / 1000,
    requestsPerSecond: elapsedSeconds > 0 ? Math.round((tally.sent / elapsedSeconds) * 10) / 10 : 0,
    latencyMs: summarizeLatencies(tally.latenciesMs),
    distribution,
  };
}
