import type { UpstreamErrorKind } from '../traffic/traffic-sink';

/** Thrown into the upstream request when --upstream-timeout passes without an answer. */
export class UpstreamTimeoutError extends Error {
  readonly code = 'LOADEX_UPSTREAM_TIMEOUT';
  constructor() {
    super('upstream timed out');
  }
}

export function classifyUpstreamError(err: Error): UpstreamErrorKind {
  if (err instanceof UpstreamTimeoutError) return 'timeout';
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}
