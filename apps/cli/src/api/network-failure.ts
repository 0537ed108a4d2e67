/** What went wrong on the way to the balancer, in the words an operator expects. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CLOSED: 'connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed (is it https?)',
  EPROTO: 'TLS handshake failed',
};

interface ErrorWithCode {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function asErrorLike(value: unknown): ErrorWithCode | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorWithCode) : undefined;
}

/** The system error code under fetch's `TypeError: fetch failed` (also inside happy-eyeballs' AggregateError). */
export function networkErrorCode(err: unknown): string | undefined {
  let current = asErrorLike(err);
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code;
    if (Array.isArray(current.errors) && current.errors.length > 0) {
      const nested = networkErrorCode(current.errors[0]);
      if (nested) return nested;
    }
    current = asErrorLike(current.cause);
  }
  return undefined;
}

/** True when the error is an abort: a timeout signal or the caller's own abort (Ctrl-C). */
export function isAbort(err: unknown): boolean {
  const name = asErrorLike(err)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

export function isTimeout(err: unknown): boolean {
  return asErrorLike(err)?.name === 'TimeoutError';
}

/** A short reason for a failed request: `connection refused`, `host not found`, ... */
export function describeNetworkFailure(err: unknown): string {
  if (isTimeout(err)) return 'no answer in time';
  const code = networkErrorCode(err);
  if (code) return REASONS[code] ?? code;
  let current = asErrorLike(err);
  while (current && asErrorLike(current.cause)) current = asErrorLike(current.cause);
  const message = typeof current?.message === 'string' ? current.message : 'unknown network error';
  // fetch refuses the ports browsers block (1, 9, 6000, ...): say so rather than a bare "bad port"
  return message === 'bad port' ? 'fetch refuses this port: browsers block it, pick another' : message;
}
