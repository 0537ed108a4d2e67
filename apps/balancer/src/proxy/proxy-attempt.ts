import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { RequestInfo } from '@loadex/algorithms';
import type { Backend } from '@loadex/pool';

/** Per-request proxy state: which backend holds the request now, and which ones failed it. */
export class ProxyAttempt implements RequestInfo {
  /** The backend counted as serving this request; null once released. */
  backend: Backend | null = null;
  /** The last backend the request was sent to, for metrics. */
  lastBackend: Backend | null = null;
  /** Backends that already failed this request. */
  tried: Backend[] = [];
  attempts = 0;
  maxAttempts = 1;
  upstreamRequest: ClientRequest | null = null;
  /** When the current attempt's request went out (UpstreamDeadlines' coarse clock). */
  sentAt = 0;
  /** In UpstreamDeadlines' list of attempts waiting for response headers, and its two links. */
  waiting = false;
  previousWaiting: ProxyAttempt | null = null;
  nextWaiting: ProxyAttempt | null = null;
  /** The backend failed after the response had started: the client got a cut-off answer. */
  brokenMidStream = false;
  finished = false;
  readonly startedAt = performance.now();

  /** `url` and `headers` are the request's own (references, not copies), for hashing algorithms. */
  constructor(
    readonly clientIp: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
  ) {}
}

const ATTEMPT = Symbol('loadex.attempt');

type WithAttempt = IncomingMessage & { [ATTEMPT]?: ProxyAttempt };

export function attachAttempt(req: IncomingMessage, attempt: ProxyAttempt): void {
  (req as WithAttempt)[ATTEMPT] = attempt;
}

export function attemptOf(req: IncomingMessage): ProxyAttempt | undefined {
  return (req as WithAttempt)[ATTEMPT];
}
