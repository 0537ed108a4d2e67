// eslint-disable-next-line no-restricted-imports -- the one test seam into backend state, see below
import { type Backend, backendState, type BackendState } from '../../libs/pool/src/backend';

/**
 * Puts a backend into the state a scenario needs (in-flight requests, a measured latency) without
 * driving traffic. Only unit tests of the algorithms use it: production code changes backend state
 * through `ServerPool` alone.
 */
export function setBackendState(backend: Backend, change: Partial<BackendState>): void {
  Object.assign(backendState(backend), change);
}

/** One more (or, with -1, one fewer) request in flight on `backend`. */
export function addInFlight(backend: Backend, delta = 1): void {
  backendState(backend).activeRequests += delta;
}
