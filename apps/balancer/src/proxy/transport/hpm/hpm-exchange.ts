import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { ProxyAttempt, UpstreamExchange } from '../../proxy-attempt';
import { clientResponseHeaders, keepsTransferEncoding } from '../client-response-headers';
import { writeBodyChunk } from '../response-body';
import type { UpstreamDeadlines } from '../upstream-deadlines';
import { classifyUpstreamError, errorCode, phaseOfError } from '../upstream-error';
import { ClientGoneError, type TransportHooks } from '../upstream-transport';
import type { HpmCall } from './hpm-calls';
import { rewriteUpstreamHeaders } from './hpm-headers';

const EXCHANGE = Symbol('loadex.hpmExchange');

type CarryingExchange = IncomingMessage & { [EXCHANGE]?: HpmExchange };

/** The backend response's 'data' listener: one function for every response, the exchange rides on it. */
function forwardChunk(this: CarryingExchange, chunk: Buffer): void {
  this[EXCHANGE]?.bodyChunk(this, chunk);
}

/**
 * One attempt through http-proxy-middleware (httpxy on node:http) with `selfHandleResponse`: the
 * library connects, sends the request and pipes its body; this follows its events, keeps the
 * upstream deadline, reports to the proxy, and writes the response itself, as the undici engine
 * does — one `writeHead` from the backend's raw headers (casing and repeated lines kept), then the
 * body chunk by chunk with backpressure (`write() === false` pauses the backend's response,
 * `drain` resumes it). The library's own response copying set the headers one `setHeader` at a
 * time and piped the body: about a tenth of the engine's time (docs/performance.md).
 */
export class HpmExchange implements HpmCall, UpstreamExchange {
  private proxyReq: ClientRequest | null = null;
  private proxyRes: IncomingMessage | null = null;
  private abortReason: Error | null = null;
  private cancelled = false;
  private done = false;
  /** Created on the first backpressure only. */
  private onDrain: (() => void) | null = null;

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
    const attempt = this.attempt;
    const status = proxyRes.statusCode ?? 502;
    this.hooks.responseStarted(attempt, status);
    const res = this.res;
    if (res.destroyed) {
      // The client left (the proxy has accounted for it): nobody reads this response.
      this.finish();
      proxyRes.destroy();
      return;
    }
    this.deadlines.bodyDue(attempt);
    const headers = clientResponseHeaders(proxyRes.rawHeaders, keepsTransferEncoding(this.req, status));
    if (attempt.setCookie !== null) headers.push('set-cookie', attempt.setCookie);
    attempt.responseBytes = 0;
    try {
      if (proxyRes.statusMessage) res.writeHead(status, proxyRes.statusMessage, headers);
      else res.writeHead(status, headers);
    } catch (err) {
      // A head Node will not write (a status below 100, say): nothing has reached the client yet.
      proxyRes.destroy();
      this.onError(err as Error, undefined);
      return;
    }
    this.proxyRes = proxyRes;
    (proxyRes as CarryingExchange)[EXCHANGE] = this;
    proxyRes.on('data', forwardChunk);
  }

  /** A body chunk from the backend, on its way to the client. */
  bodyChunk(proxyRes: IncomingMessage, chunk: Buffer): void {
    if (this.done || writeBodyChunk(this.attempt, this.res, chunk, this.deadlines)) return;
    proxyRes.pause();
    this.res.once('drain', (this.onDrain ??= () => this.resume()));
  }

  private resume(): void {
    if (this.done) return;
    this.deadlines.bodyDue(this.attempt);
    this.proxyRes?.resume();
  }

  /** The backend's response ended (httpxy's `end` event): so does the client's. */
  onProxyEnd(): void {
    if (this.done || this.proxyRes === null) return;
    this.finish();
    this.res.end();
    this.hooks.responseEnded(this.attempt);
  }

  onError(err: Error, target: unknown): void {
    if (this.done || (target !== undefined && target !== this.target)) return;
    this.finish();
    if (this.cancelled || this.res.destroyed) return; // the client left
    const phase = phaseOfError(err);
    this.hooks.failed(this.attempt, {
      phase,
      kind: classifyUpstreamError(err),
      reusedSocket: this.proxyReq?.reusedSocket === true,
      detail: errorCode(err),
    });
  }

  private finish(): void {
    this.done = true;
    this.attempt.exchange = null;
    this.deadlines.disarm(this.attempt);
    if (this.onDrain !== null) this.res.off('drain', this.onDrain);
  }
}
