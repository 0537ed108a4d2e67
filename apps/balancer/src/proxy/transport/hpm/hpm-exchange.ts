import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyAttempt, UpstreamExchange } from '../../proxy-attempt';
import type { UpstreamDeadlines } from '../upstream-deadlines';
import { classifyUpstreamError, errorCode, phaseOfError } from '../upstream-error';
import { ClientGoneError, type TransportHooks } from '../upstream-transport';
import type { HpmCall } from './hpm-calls';
import { dropHopByHopResponseHeaders, rewriteUpstreamHeaders } from './hpm-headers';

/**
 * One attempt through http-proxy-middleware (httpxy on node:http): the library pipes the bodies
 * both ways; this follows its events, keeps the upstream deadline and reports to the proxy.
 */
export class HpmExchange implements HpmCall, UpstreamExchange {
  private proxyReq: ClientRequest | null = null;
  private abortReason: Error | null = null;
  private cancelled = false;
  private done = false;

  constructor(
    private readonly attempt: ProxyAttempt,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly hooks: TransportHooks,
    private readonly deadlines: UpstreamDeadlines,
    /** The target of the instance this attempt went through: errors of an earlier attempt are stale. */
    private readonly target: URL,
  ) {}

  abort(reason: Error): void {
    if (this.done) return;
    if (reason instanceof ClientGoneError) this.cancelled = true;
    if (this.proxyReq !== null) this.proxyReq.destroy(reason);
    else this.abortReason = reason;
  }

  onProxyReq(proxyReq: ClientRequest): void {
    if (this.done) return;
    this.proxyReq = proxyReq;
    if (this.abortReason !== null) {
      proxyReq.destroy(this.abortReason);
      return;
    }
    rewriteUpstreamHeaders(proxyReq, this.req, this.attempt.clientIp);
    this.deadlines.arm(this.attempt);
    this.hooks.requestSent(this.attempt);
  }

  onProxyReqWs(): void {
    // Not an upgrade: HpmUpgrade handles those.
  }

  onProxyRes(proxyRes: IncomingMessage): void {
    if (this.done) return;
    this.deadlines.disarm(this.attempt);
    dropHopByHopResponseHeaders(proxyRes);
    const setCookie = this.attempt.setCookie;
    if (setCookie !== null) {
      const existing = proxyRes.headers['set-cookie'];
      proxyRes.headers['set-cookie'] = existing ? [...existing, setCookie] : [setCookie];
    }
    this.hooks.responseStarted(this.attempt, proxyRes.statusCode ?? 502);
  }

  onError(err: Error, target: unknown): void {
    if (this.done || (target !== undefined && target !== this.target)) return;
    this.done = true;
    this.attempt.exchange = null;
    this.deadlines.disarm(this.attempt);
    if (this.cancelled || this.res.destroyed) return; // the client left
    const phase = phaseOfError(err);
    this.hooks.failed(this.attempt, {
      phase,
      kind: classifyUpstreamError(err),
      reusedSocket: this.proxyReq?.reusedSocket === true,
      detail: errorCode(err),
    });
  }
}
