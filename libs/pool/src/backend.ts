import type { AdminState } from '@loadex/api';

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
