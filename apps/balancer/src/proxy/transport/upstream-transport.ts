import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ForwardingEngine } from '../../config/balancer-config';
import type { UpstreamErrorKind } from '../../traffic/traffic-sink';
import type { ProxyAttempt } from '../proxy-attempt';

/**
 * Where an attempt was when it failed: `connect` — it never reached the backend (refused, DNS,
 * connect timeout), so it can be sent anywhere else; `sent` — it may have arrived (reset, socket
 * closed, timeout).
 */
export type FailurePhase = 'connect' | 'sent';

/** How an attempt failed, in the proxy's terms: no library error codes beyond `detail`. */
export interface UpstreamFailure {
  readonly phase: FailurePhase;
  readonly kind: UpstreamErrorKind;
  /**
   * The request went out on a pooled keep-alive connection that had already carried a response
   * and that the backend closed as it was reused: a race, not a sign of a dead backend.
   */
  readonly reusedSocket: boolean;
  /** The library's error code or message, for the log only. */
  readonly detail: string;
}

/** What a transport reports about one attempt, in this order; `failed` may come at any point. */
export interface TransportHooks {
  /** The request head is going out to the backend. */
  requestSent(attempt: ProxyAttempt): void;
  /** The backend's response status and headers arrived (they are being written to the client). */
  responseStarted(attempt: ProxyAttempt, status: number): void;
  /**
   * The backend's response ended and was handed to the client (undici reports it; hpm does not,
   * and the proxy releases the backend when the client's response closes, at the latest).
   */
  responseEnded(attempt: ProxyAttempt): void;
  /** The attempt failed. Not reported for an attempt cancelled because the client left. */
  failed(attempt: ProxyAttempt, failure: UpstreamFailure): void;
}

/** What a transport reports about one WebSocket upgrade. */
export interface UpgradeHooks {
  /** The backend answered, 101 (the socket is a tunnel now) or another status (passed on). */
  answered(attempt: ProxyAttempt, status: number): void;
  /** No answer from the backend: the client got a 502 (or its socket was closed). */
  failed(attempt: ProxyAttempt, failure: UpstreamFailure): void;
}

/**
 * The seam between the proxy loop and a forwarding library. An engine sends one attempt to the
 * attempt's current backend (`attempt.backend`), streams the answer into `res` with backpressure,
 * keeps the upstream deadline (`--upstream-timeout`) and reports what happened through the hooks.
 * It never chooses a backend and never retries: `ReverseProxy` does.
 */
export abstract class UpstreamTransport {
  abstract readonly engine: ForwardingEngine;

  abstract send(attempt: ProxyAttempt, req: IncomingMessage, res: ServerResponse, hooks: TransportHooks): void;

  /** The client left before its response finished: stop the attempt in flight at once. */
  abstract cancel(attempt: ProxyAttempt): void;

  /** Tunnels a WebSocket upgrade to `attempt.backend`. */
  abstract upgrade(
    attempt: ProxyAttempt,
    req: IncomingMessage,
    socket: Socket,
    head: Buffer,
    hooks: UpgradeHooks,
  ): void;
}

/** Why an attempt was aborted when its client went away. */
export class ClientGoneError extends Error {
  readonly code = 'LOADEX_CLIENT_GONE';
  constructor() {
    super('the client went away');
  }
}
