import type { LatencySummary } from '../load/latency-percentiles';
import type { BackendShare, LoadReport } from '../load/load-report';
import type { PlannedBackend, ScenarioName } from './compare-scenarios';

/** What "load" means in the comparison (the table's footnote and the JSON say it too). */
export const LOAD_DEFINITION =
  "a backend's load is the requests it got ÷ the mean requests per backend; max/mean is the busiest backend's (1.00 = perfectly even)";

/** One algorithm's run. */
export interface CompareRow {
  algorithm: string;
  /** The options the balancer confirmed for the run (every one filled in). */
  options: Record<string, unknown>;
  /** Ended early by Ctrl-C. */
  interrupted: boolean;
  sent: number;
  succeeded: number;
  /** Requests that failed (HTTP status ≥ 400 or no answer). */
  errors: number;
  failures: Record<string, number>;
  requestsPerSecond: number;
  elapsedSeconds: number;
  /** The client's latency, to the end of the body. */
  latencyMs: LatencySummary;
  /** Requests per backend during the run, from the balancer's own counters. */
  backends: BackendShare[];
  /** The busiest backend's requests ÷ the mean per backend; null when nothing was forwarded. */
  maxLoad: number | null;
}

/** `loadex compare`'s result (also its `--json` output). */
export interface CompareReport {
  scenario: ScenarioName;
  /** The scenario in one sentence, naming the backend it singles out. */
  description: string;
  /** How the scenario set up each backend during the runs (restored afterwards). */
  setup: PlannedBackend[];
  target: string;
  /** Per algorithm. */
  count: number | null;
  durationMs: number | null;
  concurrency: number;
  keyHeader: string;
  load: string;
  /** The algorithms the comparison was to run, in order (`rows` has those that ran). */
  algorithms: string[];
  /** Stopped by Ctrl-C before every algorithm ran to its end. */
  interrupted: boolean;
  rows: CompareRow[];
}

export function buildCompareRow(algorithm: string, options: Record<string, unknown>, report: LoadReport): CompareRow {
  return {
    algorithm,
    options,
    interrupted: report.interrupted,
    sent: report.sent,
    succeeded: report.succeeded,
    errors: report.failed,
    failures: report.failures,
    requestsPerSecond: report.requestsPerSecond,
    elapsedSeconds: report.elapsedSeconds,
    latencyMs: report.latencyMs,
    backends: report.distribution,
    maxLoad: maxLoad(report.distribution),
  };
}

/** The busiest backend's requests relative to the mean over every backend in the pool. */
export function maxLoad(backends: readonly BackendShare[]): number | null {
  const total = backends.reduce((sum, b) => sum + b.requests, 0);
  if (backends.length === 0 || total === 0) return null;
  const mean = total / backends.length;
  return Math.round((Math.max(...backends.map((b) => b.requests)) / mean) * 100) / 100;
}
