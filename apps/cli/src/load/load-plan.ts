/** What `make-request` was asked to do. */
export interface LoadPlan {
  /** Where requests go: the balancer's proxy URL plus `--path`. */
  target: URL;
  method: string;
  /** Stop after this many requests (null: only the duration bounds the run). */
  count: number | null;
  /** Stop after this long (null: only the count bounds the run). */
  durationMs: number | null;
  concurrency: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /**
   * Headers for the request with this index (0, 1, 2, … in the order they are issued), e.g. the
   * `x-user` key `compare` hashes on; absent, requests carry none of their own.
   */
  headersFor?: (index: number) => Record<string, string>;
}

/** How a run is stopped early: `stop` ends sending (first Ctrl-C), `abort` cancels in-flight requests (second). */
export interface LoadStopSignals {
  stop: AbortSignal;
  abort: AbortSignal;
}

/** What the client saw, before the balancer's counters are added. */
export interface LoadTally {
  /** Requests that finished (answered, failed or aborted). */
  sent: number;
  succeeded: number;
  /** Failures by HTTP status (`"502"`) or by network reason (`"connection refused"`). */
  failures: Map<string, number>;
  /** Latency of every finished request (to the end of its body), milliseconds. */
  latenciesMs: number[];
  elapsedMs: number;
  /** Ended by Ctrl-C rather than by its count or duration. */
  interrupted: boolean;
}
