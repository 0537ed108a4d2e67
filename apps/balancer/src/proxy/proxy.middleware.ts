import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Inject, Injectable, Logger, NestMiddleware, OnModuleInit } from '@nestjs/common';
import { ActiveAlgorithm } from '@loadex/algorithms';
import { type Backend, ServerPool } from '@loadex/pool';
import { BALANCER_CONFIG, type BalancerConfig } from '../config/balancer-config';
import { TrafficObserver } from '../traffic/traffic-observer';
import { isAdminPath } from './admin-routes';
import {
  clientAddress,
  dropHopByHopResponseHeaders,
  rewriteUpstreamHeaders,
  setForwardedHeaders,
} from './forwarded-headers';
import { Forwarders, type ForwardingEvents } from './forwarders';
import { ALL_FAILED, NO_BACKEND, sendPlain, UPSTREAM_TIMEOUT } from './plain-responses';
import { attachAttempt, attemptOf, ProxyAttempt } from './proxy-attempt';
import { isSafeToRetry } from './retry-policy';
import { UpstreamDeadlines } from './upstream-deadlines';
import { classifyUpstreamError } from './upstream-error';

/**
 * The one proxy path: pick a routable backend with the active algorithm, forward through that
 * backend's proxy instance, fail over when it is safe, and account for every request exactly once.
 */
@Injectable()
export class ProxyMiddleware implements NestMiddleware, ForwardingEvents, OnModuleInit {
  private readonly logger = new Logger('Proxy');
  private readonly trustProxy: boolean;
  private readonly maxRetries: number | null;
  /** Admin routes share the proxy port unless --admin-port gives them their own. */
  private readonly sharesAdminPort: boolean;
  /** Hoisted per-request listeners: created once, never per request. */
  private readonly onResponseClose: (this: ServerResponse) => void;
  private readonly onUpgradeSocketClose: (this: Socket) => void;

  constructor(
    private readonly pool: ServerPool,
    private readonly algorithm: ActiveAlgorithm,
    private readonly forwarders: Forwarders,
    private readonly traffic: TrafficObserver,
    private readonly deadlines: UpstreamDeadlines,
    @Inject(BALANCER_CONFIG) config: BalancerConfig,
  ) {
    this.trustProxy = config.trustProxy;
    this.maxRetries = config.retries;
    this.sharesAdminPort = config.adminPort === null;
    // Per-request listeners get the response/socket as `this`; the provider is reached through `proxy`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the proxy path is being rewritten (issue 13)
    const proxy = this;
    this.onResponseClose = function () {
      proxy.finish(this.req, this);
    };
    this.onUpgradeSocketClose = function () {
      const session = upgradeSessions.get(this);
      if (session) proxy.finishUpgrade(session);
    };
  }

  onModuleInit(): void {
    this.forwarders.bind(this);
  }

  /** Express-style entry: admin routes go on to Nest's router, everything else is proxied. */
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    if (this.sharesAdminPort && isAdminPath(req.url ?? '/')) {
      next();
      return;
    }
    this.handle(req, res);
  }

  /** Proxies one client request. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const attempt = new ProxyAttempt(clientAddress(req, this.trustProxy), req.url ?? '/', req.headers);
    attachAttempt(req, attempt);
    res.on('close', this.onResponseClose); // 'close' comes once per response
    // Node has already answered the client's `Expect: 100-continue`. Passed on, it would make the
    // upstream request send its headers at once, before the proxy could rewrite them or arm the
    // upstream timeout (httpxy skips its proxyReq hook for such requests), as nginx does not pass it either.
    if (req.headers.expect !== undefined) delete req.headers.expect;
    this.forward(req, res, attempt);
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
    const attempt = new ProxyAttempt(clientAddress(req, this.trustProxy), req.url ?? '/', req.headers);
    attachAttempt(req, attempt);
    const backend = this.algorithm.current.pick(this.pool.routable(), attempt);
    const forwarder = backend && this.forwarders.get(backend);
    if (!backend || !forwarder) {
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nno healthy backend\n',
      );
      this.traffic.requestFinished(undefined, req.method ?? 'GET', 503, secondsSince(attempt));
      return;
    }
    this.acquire(attempt, backend);
    upgradeSessions.set(socket, { req, attempt, status: 0 });
    socket.once('close', this.onUpgradeSocketClose);
    forwarder.upgrade(req, socket, head);
  }

  onUpstreamRequest(proxyReq: ClientRequest, req: IncomingMessage): void {
    const attempt = attemptOf(req);
    if (!attempt) return;
    rewriteUpstreamHeaders(proxyReq, req, attempt.clientIp);
    attempt.upstreamRequest = proxyReq;
    this.deadlines.arm(attempt);
  }

  onUpstreamResponse(proxyRes: IncomingMessage, req: IncomingMessage): void {
    const attempt = attemptOf(req);
    if (attempt) this.deadlines.disarm(attempt);
    dropHopByHopResponseHeaders(proxyRes);
  }

  onUpstreamUpgradeRequest(proxyReq: ClientRequest, req: IncomingMessage): void {
    const attempt = attemptOf(req);
    if (attempt) setForwardedHeaders(proxyReq, req, attempt.clientIp);
    const session = upgradeSessions.get(req.socket);
    if (!session) return;
    // Once per upgrade, not per request: what the backend answered, for the count at close.
    proxyReq.once('upgrade', () => {
      session.status = 101;
    });
    proxyReq.once('response', (answer: IncomingMessage) => {
      session.status = answer.statusCode ?? 502;
    });
  }

  onUpstreamError(err: Error, req: IncomingMessage, res: ServerResponse | Socket, target: unknown): void {
    const attempt = attemptOf(req);
    const backend = attempt?.backend;
    // Events from an earlier, already-failed attempt of this request are stale. WebSocket errors
    // come without a target (httpxy reports them as (err, req, socket)); upgrades have one attempt.
    if (!attempt || !backend || (target !== undefined && backend.target !== target)) return;
    const kind = classifyUpstreamError(err);
    const reusedSocket = attempt.upstreamRequest?.reusedSocket === true;
    this.release(attempt);
    this.traffic.upstreamError(backend, kind);
    this.logger.warn(
      `${req.method} ${req.url} failed at ${backend.url}: ${kind} (${(err as NodeJS.ErrnoException).code ?? err.message})`,
    );

    // A refused or reset connection is the backend's fault, unless a pooled keep-alive socket
    // was closed by the backend just as we reused it (a race, not a dead server).
    this.pool.reportFailure(backend, kind, kind === 'refused' || (kind === 'reset' && !reusedSocket));
    if (!isServerResponse(res)) {
      // A WebSocket upgrade: answer 502 while nothing has been written to the client yet (no 101).
      const session = upgradeSessions.get(res);
      if (session && session.status === 0) session.status = 502;
      if (res.writable && res.bytesWritten === 0) res.end(UPGRADE_FAILED);
      else res.destroy();
      return;
    }
    if (res.headersSent) {
      attempt.brokenMidStream = true;
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    attempt.tried.push(backend);
    if (attempt.attempts < attempt.maxAttempts && isSafeToRetry(req, kind)) {
      this.traffic.retried(backend, kind);
      this.forward(req, res, attempt);
      return;
    }
    sendPlain(res, kind === 'timeout' ? UPSTREAM_TIMEOUT : ALL_FAILED);
  }

  private forward(req: IncomingMessage, res: ServerResponse, attempt: ProxyAttempt): void {
    const backend = this.choose(attempt);
    const forwarder = backend && this.forwarders.get(backend);
    if (!backend || !forwarder) {
      sendPlain(res, attempt.tried.length === 0 ? NO_BACKEND : ALL_FAILED);
      return;
    }
    this.acquire(attempt, backend);
    void forwarder(req, res);
  }

  private choose(attempt: ProxyAttempt): Backend | undefined {
    const routable = this.pool.routable();
    if (attempt.attempts === 0) {
      attempt.maxAttempts = 1 + (this.maxRetries ?? Math.max(routable.length - 1, 0));
      return this.algorithm.current.pick(routable, attempt);
    }
    // Failover (rare): never the same backend twice for one request.
    const untried = routable.filter((b) => !attempt.tried.includes(b));
    return this.algorithm.current.pick(untried, attempt);
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
    this.deadlines.disarm(attempt);
    this.pool.release(backend);
  }

  /** A proxied WebSocket's client socket closed: account for the upgrade once. */
  private finishUpgrade(session: UpgradeSession): void {
    const attempt = session.attempt;
    if (attempt.finished) return;
    attempt.finished = true;
    this.release(attempt);
    // No answer from the backend and no error: the client went away first.
    const status = session.status === 0 ? 499 : session.status;
    this.traffic.requestFinished(
      attempt.lastBackend ?? undefined,
      session.req.method ?? 'GET',
      status,
      secondsSince(attempt),
    );
  }

  /** The client response closed (finished, aborted or destroyed): account for it once. */
  private finish(req: IncomingMessage, res: ServerResponse): void {
    const attempt = attemptOf(req);
    if (!attempt || attempt.finished) return;
    attempt.finished = true;
    this.release(attempt);
    const status = res.writableFinished ? res.statusCode : attempt.brokenMidStream ? 502 : 499;
    this.traffic.requestFinished(attempt.lastBackend ?? undefined, req.method ?? 'GET', status, secondsSince(attempt));
  }
}

/** A WebSocket upgrade in progress or open: its request, its attempt and what the backend answered. */
interface UpgradeSession {
  readonly req: IncomingMessage;
  readonly attempt: ProxyAttempt;
  /** 101 once upgraded; the backend's status if it answered without upgrading; 502 on failure; 0 until then. */
  status: number;
}

const upgradeSessions = new WeakMap<Socket, UpgradeSession>();

function secondsSince(attempt: ProxyAttempt): number {
  return (performance.now() - attempt.startedAt) / 1000;
}

const UPGRADE_FAILED =
  'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nBad Gateway: the WebSocket upgrade failed at the backend\n';

function isServerResponse(res: ServerResponse | Socket): res is ServerResponse {
  return 'writeHead' in res;
}
