import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { RequestInfo } from '@loadex/algorithms';
import type { Backend } from '@loadex/pool';

/** The transport's handle on an attempt in flight: what the deadline sweep and a client that left cancel. */
export interface UpstreamExchange {
  /** Stops the attempt at once; `reason` says why (the upstream deadline, the client gone). */
  abort(reason: Error): void;
}

/**
 * One client request on its way through the proxy: which backend holds it now, which ones failed
 * it, and the timings of the current attempt. One object per request; the transport and the
 * deadline sweep keep their per-attempt state in its fields, so nothing else is allocated for it.
 */
export class ProxyAttempt implements RequestInfo {
  /** The backend counted as serving this request; null once released. */
  backend: Backend | null = null;
  /** The last backend the request was sent to, for metrics. */
  lastBackend: Backend | null = null;
  /** Backends that already failed this request (null until one does: failover is rare). */
  tried: Backend[] | null = null;
  attempts = 0;
  maxAttempts = 1;
  /** The transport's handle on the attempt in flight; null between attempts. */
  exchange: UpstreamExchange | null = null;
  /** When the current attempt was handed to the transport (performance.now()). */
  sendStartedAt = 0;
  /** Time to first byte of the current attempt in ms (response headers in); -1 until they arrive. */
  ttfbMs = -1;
  /** Body bytes written to the client by the engine (either counts them); -1 for the proxy's own answers. */
  responseBytes = -1;
  /** The Set-Cookie line the engine adds to the response head (--sticky-cookie); null for none. */
  setCookie: string | null = null;
  /** This request's retry holds a share of the retry budget (until its backend answers). */
  retrying = false;
  /** When the current attempt last moved: its request went out, or a body chunk came (UpstreamDeadlines' coarse clock). */
  sentAt = 0;
  /** Which of UpstreamDeadlines' lists holds the attempt (response headers or the next body chunk due), and its two links. */
  waiting: 'headers' | 'body' | null = null;
  previousWaiting: ProxyAttempt | null = null;
  nextWaiting: ProxyAttempt | null = null;
  /** The backend failed after the response had started: the client got a cut-off answer. */
  brokenMidStream = false;
  finished = false;
  /** A WebSocket upgrade's outcome: 101 once upgraded, the backend's status, 502; 0 until then. */
  upgradeStatus = 0;
  readonly startedAt = performance.now();
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;

  constructor(
    readonly clientIp: string,
    readonly req: IncomingMessage,
    /** The client response; null for a WebSocket upgrade (a raw socket). */
    readonly res: ServerResponse | null,
  ) {
    this.method = req.method ?? 'GET';
    this.url = req.url ?? '/';
    this.headers = req.headers;
  }

  /** Some of the request body has been read from the client (so it cannot be sent again). */
  get bodyConsumed(): boolean {
    return this.req.readableDidRead;
  }

  /** Response headers have gone to the client: nothing else can be answered any more. */
  get responseStarted(): boolean {
    return this.res !== null && this.res.headersSent;
  }

  /** The client is gone: nobody to answer. */
  get clientGone(): boolean {
    return this.res !== null && this.res.destroyed;
  }
}
