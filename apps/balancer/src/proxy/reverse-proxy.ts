import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { type Backend, ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { TrafficObserver } from '../traffic/traffic-observer';
import { AccessLog } from './access-log';
import { isAdminPath } from './admin-routes';
import { clientAddress } from './client-address';
import { marksBackendDown, nextStep } from './next-step';
import { ALL_FAILED, NO_BACKEND, sendPlain, UPSTREAM_TIMEOUT } from './plain-responses';
import { ProxyAttempt } from './proxy-attempt';
import { RetryBudget } from './retry-budget';
import { StickySessions } from './sticky-sessions';
import {
  type TransportHooks,
  type UpgradeHooks,
  type UpstreamFailure,
  UpstreamTransport,
} from './transport/upstream-transport';

const ATTEMPT = Symbol('loadex.attempt');

type WithAttempt = ServerResponse & { [ATTEMPT]?: ProxyAttempt };

const UPGRADE_NO_BACKEND =
  'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nno healthy backend\n';

/**
 * The one proxy loop. Per request: pick a routable backend with the active algorithm, hand the
 * attempt to the `UpstreamTransport`, and when it fails let `nextStep` decide — retry elsewhere,
 * 502, 504 or cut the response. Every request is accounted for exactly once: the backend's hold
 * is released however the attempt ends, and the request is counted when the client's response closes.
 */
@Injectable()
export class ReverseProxy implements TransportHooks {
  private readonly logger = new Logger('Proxy');
  private readonly trustProxy: boolean;
  private readonly maxRetries: number | null;
  /** Admin routes share the proxy port unless --admin-port gives them their own. */
  private readonly sharesAdminPort: boolean;
  /** Hoisted per-request listener: created once, never per request. */
  private readonly onResponseClose: (this: ServerResponse) => void;
  /** Client requests between arrival and the end of their response, for the retry budget. */
  private requestsInFlight = 0;
  /** The hooks of WebSocket upgrades (one object, built once). */
  private readonly upgradeHooks: UpgradeHooks;

  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly transport: UpstreamTransport,
    private readonly traffic: TrafficObserver,
    private readonly retryBudget: RetryBudget,
    private readonly sticky: StickySessions,
    private readonly accessLog: AccessLog,
    @Inject(BALANCER_CONFIG) config: BalancerConfig,
  ) {
    this.trustProxy = config.trustProxy;
    this.maxRetries = config.retries;
    this.sharesAdminPort = config.adminPort === null;
    const closed = (res: ServerResponse) => this.responseClosed(res);
    this.onResponseClose = function (this: ServerResponse) {
      closed(this);
    };
    this.upgradeHooks = {
      answered: (attempt, status) => {
        attempt.upgradeStatus = status;
      },
      failed: (attempt, failure) => this.upgradeFailed(attempt, failure),
    };
  }

  /** The transport in use, `undici` or `hpm`. */
  get engine(): string {
    return this.transport.engine;
  }

  /** Proxies one client request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const attempt = new ProxyAttempt(clientAddress(req, this.trustProxy), req, res);
    (res as WithAttempt)[ATTEMPT] = attempt;
    res.on('close', this.onResponseClose); // 'close' comes once per response
    this.requestsInFlight++;
    this.run(attempt);
  }

  /**
   * Proxies a WebSocket upgrade to the picked backend (no retries once the socket is handed over).
   * It is counted as one request when the client's socket closes, as nginx and HAProxy log it:
   * status 101 and the session's length once upgraded, else the backend's answer, 502 or 503.
   */
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    if (this.sharesAdminPort && isAdminPath(req.url ?? '/')) {
      socket.destroy();
      return;
    }
    const attempt = new ProxyAttempt(clientAddress(req, this.trustProxy), req, null);
    const backend = this.choose(attempt);
    if (!backend) {
      socket.end(UPGRADE_NO_BACKEND);
      this.traffic.requestFinished(undefined, attempt.method, 503, secondsSince(attempt));
      return;
    }
    this.acquire(attempt, backend);
    // Upgrades are per connection, not per request: one listener each.
    socket.once('close', () => this.finishUpgrade(attempt));
    this.transport.upgrade(attempt, req, socket, head, this.upgradeHooks);
  }

  /** Pick → send; `failed` comes back here through `nextStep` when it is safe to try again. */
  private run(attempt: ProxyAttempt): void {
    const res = attempt.res as ServerResponse;
    const backend = this.choose(attempt);
    if (!backend) {
      sendPlain(res, attempt.tried === null ? NO_BACKEND : ALL_FAILED);
      return;
    }
    this.acquire(attempt, backend);
    if (this.sticky.cookieName !== null) attempt.setCookie = this.sticky.setCookieFor(backend, attempt.headers);
    attempt.ttfbMs = -1;
    attempt.sendStartedAt = performance.now();
    if (attempt.attempts === 1) this.retryBudget.requestStarted(attempt.sendStartedAt);
    this.transport.send(attempt, attempt.req, res, this);
  }

  requestSent(): void {
    // The deadline is the transport's; nothing else to do when the head goes out.
  }

  responseStarted(attempt: ProxyAttempt, status: number): void {
    const ttfbMs = performance.now() - attempt.sendStartedAt;
    attempt.ttfbMs = ttfbMs;
    // A retry holds its share of the budget until the backend answers: the work a retry storm adds.
    if (attempt.retrying) {
      attempt.retrying = false;
      this.retryBudget.finish();
    }
    const backend = attempt.backend;
    if (backend === null) return;
    // Passive signals: latency for ewma/leasttime, 5xx runs for outlier ejection.
    this.pool.recordTtfb(backend, ttfbMs);
    this.pool.recordResponse(backend, status);
  }

  responseEnded(attempt: ProxyAttempt): void {
    this.release(attempt);
  }

  failed(attempt: ProxyAttempt, failure: UpstreamFailure): void {
    const backend = attempt.backend;
    if (!backend) return;
    this.release(attempt);
    this.reportFailure(attempt, backend, failure);
    const res = attempt.res as ServerResponse;
    switch (nextStep(attempt, failure)) {
      case 'retry':
        if (!this.mayRetry(attempt, failure)) {
          this.traffic.retryRefused(backend);
          sendPlain(res, ALL_FAILED);
          return;
        }
        (attempt.tried ??= []).push(backend);
        this.traffic.retried(backend, failure.kind);
        this.run(attempt);
        return;
      case 'cut':
        attempt.brokenMidStream = true;
        res.destroy();
        return;
      case 'gateway-timeout':
        sendPlain(res, UPSTREAM_TIMEOUT);
        return;
      case 'bad-gateway':
        sendPlain(res, ALL_FAILED);
        return;
      case 'none':
        return;
    }
  }

  private upgradeFailed(attempt: ProxyAttempt, failure: UpstreamFailure): void {
    const backend = attempt.backend;
    if (attempt.upgradeStatus === 0) attempt.upgradeStatus = 502;
    if (!backend) return;
    this.release(attempt);
    this.reportFailure(attempt, backend, failure);
  }

  private reportFailure(attempt: ProxyAttempt, backend: Backend, failure: UpstreamFailure): void {
    this.logger.warn(
      `${attempt.method} ${attempt.url} failed at ${backend.url}: ${failure.kind} in phase ${failure.phase}` +
        ` (${failure.detail}${failure.reusedSocket ? ', reused connection' : ''})`,
    );
    this.traffic.upstreamError(backend, failure.kind);
    this.pool.reportFailure(backend, failure.kind, marksBackendDown(failure));
  }

  /**
   * Within the retry budget? The budget guards against retry storms that multiply the backends'
   * work, so it counts retries after a failure the backend may have worked on: a connect failure
   * (it never arrived) or a reset on a reused keep-alive socket (the backend had closed it idle) did
   * no work, and is retried without a share. A retry holds its share until its backend answers.
   */
  private mayRetry(attempt: ProxyAttempt, failure: UpstreamFailure): boolean {
    if (attempt.retrying || failure.phase === 'connect' || failure.reusedSocket) return true;
    if (!this.retryBudget.tryStart(this.requestsInFlight, performance.now())) return false;
    attempt.retrying = true;
    return true;
  }

  private choose(attempt: ProxyAttempt): Backend | undefined {
    const routable = this.pool.routable();
    const tried = attempt.tried;
    if (tried === null) {
      attempt.maxAttempts = 1 + (this.maxRetries ?? Math.max(routable.length - 1, 0));
      if (this.sticky.cookieName !== null) {
        const stuck = this.sticky.stuckTo(attempt.headers);
        if (stuck !== undefined) return stuck;
      }
      return this.algorithm.current.pick(routable, attempt);
    }
    // Failover (rare): never the same backend twice for one request.
    return this.algorithm.current.pick(
      routable.filter((b) => !tried.includes(b)),
      attempt,
    );
  }

  private acquire(attempt: ProxyAttempt, backend: Backend): void {
    this.pool.acquire(backend);
    attempt.backend = backend;
    attempt.lastBackend = backend;
    attempt.attempts++;
  }

  /** Ends the current backend's hold on the request; safe to call more than once. */
  private release(attempt: ProxyAttempt): void {
    const backend = attempt.backend;
    if (!backend) return;
    attempt.backend = null;
    this.pool.release(backend);
  }

  /** The client response closed (finished, aborted or destroyed): account for it once. */
  private responseClosed(res: ServerResponse): void {
    const attempt = (res as WithAttempt)[ATTEMPT];
    if (!attempt || attempt.finished) return;
    attempt.finished = true;
    this.requestsInFlight--;
    // The client left before its answer was complete: stop the attempt at once.
    if (!res.writableFinished && attempt.exchange !== null) this.transport.cancel(attempt);
    this.release(attempt);
    if (attempt.retrying) {
      attempt.retrying = false;
      this.retryBudget.finish();
    }
    const status = res.writableFinished ? res.statusCode : attempt.brokenMidStream ? 502 : 499;
    const seconds = secondsSince(attempt);
    this.traffic.requestFinished(attempt.lastBackend ?? undefined, attempt.method, status, seconds);
    if (this.accessLog.enabled) this.accessLog.write(attempt, res, status, seconds);
  }

  /** A proxied WebSocket's client socket closed: account for the upgrade once. */
  private finishUpgrade(attempt: ProxyAttempt): void {
    if (attempt.finished) return;
    attempt.finished = true;
    this.release(attempt);
    // No answer from the backend and no error: the client went away first.
    const status = attempt.upgradeStatus === 0 ? 499 : attempt.upgradeStatus;
    this.traffic.requestFinished(attempt.lastBackend ?? undefined, attempt.method, status, secondsSince(attempt));
  }
}

function secondsSince(attempt: ProxyAttempt): number {
  return (performance.now() - attempt.startedAt) / 1000;
}
