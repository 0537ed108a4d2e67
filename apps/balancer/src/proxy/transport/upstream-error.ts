import type { UpstreamErrorKind } from '../../traffic/traffic-sink';
import type { FailurePhase } from './upstream-transport';

/** Aborts the attempt when --upstream-timeout passes without response headers. */
export class UpstreamTimeoutError extends Error {
  readonly code = 'LOADEX_UPSTREAM_TIMEOUT';
  constructor() {
    super('upstream timed out');
  }
}

/** Errors of Node's net/dns layer and of undici, by what they mean for the proxy. */
const KIND_BY_CODE: Readonly<Record<string, UpstreamErrorKind>> = {
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  ENOTFOUND: 'refused',
  EAI_AGAIN: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  LOADEX_UPSTREAM_TIMEOUT: 'timeout',
};

/** Codes that only happen before a request can have left: the backend never saw it. */
const CONNECT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function errorCode(err: Error): string {
  return (err as NodeJS.ErrnoException).code ?? err.name;
}

export function classifyUpstreamError(err: Error): UpstreamErrorKind {
  if (err instanceof UpstreamTimeoutError) return 'timeout';
  return KIND_BY_CODE[errorCode(err)] ?? 'other';
}

/** `connect` when the error says so by itself; otherwise the engine knows better (`sent` by default). */
export function phaseOfError(err: Error): FailurePhase {
  return CONNECT_CODES.has(errorCode(err)) ? 'connect' : 'sent';
}
