import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable } from '@nestjs/common';
import type { ProxyAttempt } from '../../proxy-attempt';
import { classifyUpstreamError, errorCode, phaseOfError } from '../upstream-error';
import type { UpgradeHooks, UpstreamFailure } from '../upstream-transport';
import { attachCall, type HpmCall } from './hpm-calls';
import { Forwarders } from './hpm-forwarders';
import { setForwardedHeaders } from './hpm-headers';

const UPGRADE_FAILED =
  'HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nBad Gateway: the WebSocket upgrade failed at the backend\n';

/**
 * WebSocket upgrades, for both engines, through http-proxy-middleware: the backend's answer goes
 * to the client as it is — 101 and then raw bytes both ways, or any other status it gave. undici's
 * `upgrade` dispatch turns a non-101 answer into a "bad upgrade" socket error, losing the status
 * the client should see, and upgrades are per connection, not per request, so their cost is
 * not on the hot path (docs/performance.md).
 */
@Injectable()
export class HpmWebSockets {
  constructor(private readonly forwarders: Forwarders) {}

  upgrade(attempt: ProxyAttempt, req: IncomingMessage, socket: Socket, head: Buffer, hooks: UpgradeHooks): void {
    const backend = attempt.backend;
    const forwarder = backend === null ? undefined : this.forwarders.get(backend);
    const call = new HpmUpgrade(attempt, req, socket, hooks);
    if (forwarder === undefined) {
      call.onError(new Error('no forwarder'), undefined);
      return;
    }
    attachCall(req, call);
    forwarder.upgrade(req, socket, head);
  }
}

/** One WebSocket upgrade in progress: the backend's answer is reported once. */
class HpmUpgrade implements HpmCall {
  private answered = false;

  constructor(
    private readonly attempt: ProxyAttempt,
    private readonly req: IncomingMessage,
    private readonly socket: Socket,
    private readonly hooks: UpgradeHooks,
  ) {}

  onProxyReq(): void {
    // Upgrades come through onProxyReqWs.
  }

  onProxyReqWs(proxyReq: ClientRequest): void {
    setForwardedHeaders(proxyReq, this.req, this.attempt.clientIp);
    proxyReq.once('upgrade', () => this.answer(101));
    proxyReq.once('response', (answer: IncomingMessage) => this.answer(answer.statusCode ?? 502));
  }

  onProxyRes(): void {
    // Upgrades come through onProxyReqWs.
  }

  onProxyEnd(): void {
    // Upgrades come through onProxyReqWs.
  }

  onError(err: Error, _target: unknown): void {
    const socket = this.socket;
    if (!this.answered) {
      this.answered = true;
      const failure: UpstreamFailure = {
        phase: phaseOfError(err),
        kind: classifyUpstreamError(err),
        reusedSocket: false,
        detail: errorCode(err),
      };
      this.hooks.failed(this.attempt, failure);
    }
    // Answer 502 while nothing has been written to the client yet (no 101).
    if (socket.writable && socket.bytesWritten === 0) socket.end(UPGRADE_FAILED);
    else socket.destroy();
  }

  private answer(status: number): void {
    if (this.answered) return;
    this.answered = true;
    this.hooks.answered(this.attempt, status);
  }
}
