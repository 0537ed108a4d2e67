/** Admin state of a backend: `draining` takes no new requests while its in-flight ones finish. */
export type AdminState = 'active' | 'draining';

/** One upstream server and everything the balancer knows about it right now. */
export class Backend {
  /** Parsed once, so the proxy never parses a target per request. */
  readonly target: URL;
  /** The backend's origin, e.g. `http://127.0.0.1:8001`: its identity everywhere (API, metrics, logs). */
  readonly url: string;

  weight: number;
  healthy = true;
  state: AdminState = 'active';

  /** Requests forwarded and not yet finished. Changed only by ServerPool.acquire/release. */
  activeRequests = 0;
  totalRequests = 0;
  failures = 0;
  /** Peak EWMA of the time to first byte in ms (0 before any sample), for ewma and leasttime. */
  ttfbEwmaMs = 0;
  /** Time-to-first-byte samples taken so far; 0 means not measured yet. */
  ttfbSamples = 0;

  lastCheckAt: Date | null = null;
  lastCheckMs: number | null = null;
  /** Consecutive health-check passes / failures, for rise/fall. */
  consecutivePasses = 0;
  consecutiveFailures = 0;

  constructor(target: URL, weight = 1) {
    this.target = target;
    this.url = target.origin;
    this.weight = weight;
  }

  get routable(): boolean {
    return this.healthy && this.state === 'active';
  }
}
