import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { Dispatcher } from 'undici';
import type { ProxyAttempt } from '../../proxy-attempt';
import { HpmWebSockets } from '../hpm/hpm-websockets';
import { UpstreamDeadlines } from '../upstream-deadlines';
import { ClientGoneError, type TransportHooks, type UpgradeHooks, UpstreamTransport } from '../upstream-transport';
import { UndiciExchange } from './undici-exchange';
import { UndiciPools } from './undici-pools';
import { hasRequestBody, upstreamRequestHeaders } from './upstream-headers';

/** The error a request gets when its backend's pool is already gone (removed a moment ago). */
class NoPoolError extends Error {
  readonly code = 'UND_ERR_CLOSED';
}

function ignoreError(): void {}

/**
 * The default engine: undici's `dispatch` handler API on one keep-alive `Pool` per backend.
 * The request body streams from the client's IncomingMessage (none for a bodyless request),
 * the response streams back with backpressure, a client that leaves aborts the attempt at once.
 * WebSocket upgrades go through http-proxy-middleware (see HpmWebSockets for why).
 */
@Injectable()
export class UndiciTransport extends UpstreamTransport {
  readonly engine = 'undici' as const;
  private readonly clientGone = new ClientGoneError();

  constructor(
    private readonly pools: UndiciPools,
    private readonly deadlines: UpstreamDeadlines,
    private readonly websockets: HpmWebSockets,
  ) {
    super();
  }

  send(attempt: ProxyAttempt, req: IncomingMessage, res: ServerResponse, hooks: TransportHooks): void {
    const backend = attempt.backend;
    const pool = backend === null ? undefined : this.pools.get(backend);
    const exchange = new UndiciExchange(attempt, res, hooks, this.deadlines);
    if (pool === undefined) {
      exchange.onResponseError(undefined, new NoPoolError('the backend has left the pool'));
      return;
    }
    attempt.exchange = exchange;
    const body = hasRequestBody(req) ? req : null;
    // undici destroys the body stream with the error of an aborted attempt: nobody else listens.
    if (body !== null && req.listenerCount('error') === 0) req.on('error', ignoreError);
    const method = attempt.method;
    const options: Dispatcher.DispatchOptions = {
      method,
      path: attempt.url,
      headers: upstreamRequestHeaders(req, attempt.clientIp),
      body,
      // undici closes the connection after a HEAD unless told not to; Node frames HEAD answers right.
      reset: method === 'HEAD' ? false : undefined,
    };
    pool.dispatch(options, exchange);
  }

  cancel(attempt: ProxyAttempt): void {
    attempt.exchange?.abort(this.clientGone);
  }

  upgrade(attempt: ProxyAttempt, req: IncomingMessage, socket: Socket, head: Buffer, hooks: UpgradeHooks): void {
    this.websockets.upgrade(attempt, req, socket, head, hooks);
  }
}
