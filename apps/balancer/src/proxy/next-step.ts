import type { UpstreamFailure } from './transport/upstream-transport';

/** What to do after an attempt failed. */
export type NextStep =
  /** Send the request to another routable backend. */
  | 'retry'
  /** Answer 502: every attempt failed, or re-sending is not safe. */
  | 'bad-gateway'
  /** Answer 504: the backend did not answer within --upstream-timeout. */
  | 'gateway-timeout'
  /** The response had started: cut the client's connection (the answer is incomplete). */
  | 'cut'
  /** The client is gone: nothing to answer. */
  | 'none';

/** RFC 9110 idempotent methods: sending them twice has the effect of sending them once. */
const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** What `nextStep` reads from the request (a `ProxyAttempt`). */
export interface AttemptState {
  readonly method: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly bodyConsumed: boolean;
  readonly responseStarted: boolean;
  readonly clientGone: boolean;
}

/**
 * The one decision after a failed attempt, like nginx's `ngx_http_upstream_next`:
 * - a response already started cannot be replaced: cut it;
 * - a timeout is answered 504 and never re-sent (the backend may still be working on it);
 * - a failure in phase `connect` never reached the backend: any method is sent elsewhere;
 * - a failure in phase `sent` may have reached it: only idempotent methods whose body was never
 *   read from the client are sent again, and only after a reset (not an unknown error). A POST
 *   is never delivered twice; a body already streamed is gone and never replayed.
 * - no attempts left: 502.
 */
export function nextStep(attempt: AttemptState, failure: UpstreamFailure): NextStep {
  if (attempt.clientGone) return 'none';
  if (attempt.responseStarted) return 'cut';
  if (failure.kind === 'timeout' && failure.phase === 'sent') return 'gateway-timeout';
  if (attempt.attempts >= attempt.maxAttempts || attempt.bodyConsumed) return 'bad-gateway';
  if (failure.phase === 'connect') return 'retry';
  if (failure.kind === 'reset' && IDEMPOTENT.has(attempt.method)) return 'retry';
  return 'bad-gateway';
}

/**
 * Passive health: does this failure take the backend down? A refused connection or a reset on a
 * fresh connection does; a reset on a reused keep-alive connection (the backend closed it as we
 * reused it) does not by itself — the pool takes the backend down at the second one within a
 * second (`ServerPool.reportFailure`) — and a timeout or an unknown error does not.
 */
export function marksBackendDown(failure: UpstreamFailure): boolean {
  return failure.kind === 'refused' || (failure.kind === 'reset' && !failure.reusedSocket);
}
