import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { ProxyAttempt, UpstreamExchange } from '../../proxy-attempt';
import { clientResponseHeaders, keepsTransferEncoding } from '../client-response-headers';
import { writeBodyChunk } from '../response-body';
import type { UpstreamDeadlines } from '../upstream-deadlines';
import { classifyUpstreamError, errorCode, phaseOfError } from '../upstream-error';
import { ClientGoneError, type TransportHooks, type UpstreamFailure } from '../upstream-transport';
import { carriedResponses } from './undici-pools';

/**
 * One attempt on undici's `dispatch` handler (controller) API: the response streams straight into
 * the client's `res` — `res.write() === false` pauses the backend's socket, `drain` resumes it —
 * and every outcome is reported to the proxy through the hooks, once.
 */
export class UndiciExchange implements Dispatcher.DispatchHandler, UpstreamExchange {
  private controller: Dispatcher.DispatchController | null = null;
  /** Set by `abort` before undici handed over a controller; applied as soon as it does. */
  private abortReason: Error | null = null;
  private cancelled = false;
  private started = false;
  private done = false;
  /** Created on the first backpressure only. */
  private onDrain: (() => void) | null = null;

  constructor(
    private readonly attempt: ProxyAttempt,
    private readonly res: ServerResponse,
    private readonly hooks: TransportHooks,
    private readonly deadlines: UpstreamDeadlines,
  ) {}

  /** The deadline sweep (UpstreamTimeoutError) or a client that left (ClientGoneError). */
  abort(reason: Error): void {
    if (this.done) return;
    if (reason instanceof ClientGoneError) this.cancelled = true;
    if (this.controller !== null) this.controller.abort(reason);
    else this.abortReason = reason;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason !== null) {
      controller.abort(this.abortReason);
      return;
    }
    this.deadlines.arm(this.attempt);
    this.hooks.requestSent(this.attempt);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    _headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    // 1xx (103 Early Hints, say): informational; Node answered the client's 100-continue itself.
    if (statusCode < 200) return;
    this.started = true;
    this.deadlines.bodyDue(this.attempt);
    this.hooks.responseStarted(this.attempt, statusCode);
    const res = this.res;
    if (res.destroyed) return;
    const raw = controller.rawHeaders as Buffer[] | null | undefined;
    const headers = raw ? clientResponseHeaders(raw, keepsTransferEncoding(this.attempt.req, statusCode)) : [];
    if (this.attempt.setCookie !== null) headers.push('set-cookie', this.attempt.setCookie);
    this.attempt.responseBytes = 0;
    if (statusMessage) res.writeHead(statusCode, statusMessage, headers);
    else res.writeHead(statusCode, headers);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (writeBodyChunk(this.attempt, this.res, chunk, this.deadlines)) return;
    controller.pause();
    this.res.once('drain', (this.onDrain ??= () => this.resume()));
  }

  private resume(): void {
    if (this.done) return;
    this.deadlines.bodyDue(this.attempt);
    this.controller?.resume();
  }

  onResponseEnd(): void {
    if (this.done) return;
    this.done = true;
    this.attempt.exchange = null;
    this.deadlines.disarm(this.attempt);
    this.res.end();
    this.hooks.responseEnded(this.attempt);
  }

  onResponseError(controller: Dispatcher.DispatchController | undefined, err: Error): void {
    if (this.done) return;
    this.done = true;
    this.attempt.exchange = null;
    this.deadlines.disarm(this.attempt);
    if (this.onDrain !== null) this.res.off('drain', this.onDrain);
    if (this.cancelled) return; // the client left; the proxy has accounted for it
    this.hooks.failed(this.attempt, this.failure(controller, err));
  }

  private failure(controller: Dispatcher.DispatchController | undefined, err: Error): UpstreamFailure {
    // No controller yet: undici never wrote the request (no connection was made for it).
    const phase = controller === undefined || this.controller === null ? 'connect' : phaseOfError(err);
    return {
      phase,
      kind: classifyUpstreamError(err),
      reusedSocket: phase === 'sent' && !this.started && carriedResponses(err),
      detail: errorCode(err),
    };
  }
}
