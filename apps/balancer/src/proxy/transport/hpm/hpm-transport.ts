import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { ProxyAttempt } from '../../proxy-attempt';
import { UpstreamDeadlines } from '../upstream-deadlines';
import { ClientGoneError, type TransportHooks, type UpgradeHooks, UpstreamTransport } from '../upstream-transport';
import { attachCall } from './hpm-calls';
import { HpmExchange } from './hpm-exchange';
import { Forwarders } from './hpm-forwarders';
import { HpmWebSockets } from './hpm-websockets';

/**
 * `--engine hpm`: http-proxy-middleware v4 (httpxy on node:http, one shared keep-alive agent),
 * one instance per backend. Kept as the comparison and the design card's engine.
 */
@Injectable()
export class HpmTransport extends UpstreamTransport {
  readonly engine = 'hpm' as const;
  private readonly clientGone = new ClientGoneError();

  constructor(
    private readonly forwarders: Forwarders,
    private readonly deadlines: UpstreamDeadlines,
    private readonly websockets: HpmWebSockets,
  ) {
    super();
  }

  send(attempt: ProxyAttempt, req: IncomingMessage, res: ServerResponse, hooks: TransportHooks): void {
    const backend = attempt.backend;
    const forwarder = backend === null ? undefined : this.forwarders.get(backend);
    if (backend === null || forwarder === undefined) {
      hooks.failed(attempt, { phase: 'connect', kind: 'refused', reusedSocket: false, detail: 'no forwarder' });
      return;
    }
    // Node has already answered the client's `Expect: 100-continue`. Passed on, it would make the
    // upstream request send its headers at once, before they are rewritten or the deadline armed
    // (httpxy skips its proxyReq hook for such requests); nginx does not pass it either.
    if (req.headers.expect !== undefined) delete req.headers.expect;
    const exchange = new HpmExchange(attempt, req, res, hooks, this.deadlines, backend.target);
    attempt.exchange = exchange;
    attachCall(req, exchange);
    void forwarder(req, res);
  }

  cancel(attempt: ProxyAttempt): void {
    attempt.exchange?.abort(this.clientGone);
  }

  upgrade(attempt: ProxyAttempt, req: IncomingMessage, socket: Socket, head: Buffer, hooks: UpgradeHooks): void {
    this.websockets.upgrade(attempt, req, socket, head, hooks);
  }
}
