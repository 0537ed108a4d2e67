import type { ClientRequest, IncomingMessage } from 'node:http';

/**
 * What http-proxy-middleware's events are routed to: the one attempt (or WebSocket upgrade) a
 * client request is on. The library's events carry the client request, so the call rides on it.
 */
export interface HpmCall {
  onProxyReq(proxyReq: ClientRequest): void;
  onProxyReqWs(proxyReq: ClientRequest): void;
  onProxyRes(proxyRes: IncomingMessage): void;
  /** The backend's response has ended (all of its body has been read). */
  onProxyEnd(): void;
  /** `target` is the instance's target URL (absent for WebSocket errors): stale events are told apart by it. */
  onError(err: Error, target: unknown): void;
}

const CALL = Symbol('loadex.hpmCall');

type WithCall = IncomingMessage & { [CALL]?: HpmCall };

export function attachCall(req: IncomingMessage, call: HpmCall): void {
  (req as WithCall)[CALL] = call;
}

export function callOf(req: IncomingMessage): HpmCall | undefined {
  return (req as WithCall)[CALL];
}
