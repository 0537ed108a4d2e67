import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type * as Hpm from 'http-proxy-middleware';
import type { RequestHandler } from 'http-proxy-middleware';
import type { ProxyServer } from 'httpxy';
import { type Backend, ServerPool } from '@loadex/pool';
import { callOf } from './hpm-calls';
import { UpstreamAgents } from './upstream-agents';

/** httpxy's events, routed to the call riding on the client request. Built once. */
function routeEvents(server: ProxyServer): void {
  server.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => callOf(req)?.onProxyReq(proxyReq));
  server.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => callOf(req)?.onProxyReqWs(proxyReq));
  server.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage) => callOf(req)?.onProxyRes(proxyRes));
  server.on('end', (req: IncomingMessage) => callOf(req)?.onProxyEnd());
  server.on('error', (err: Error, req?: IncomingMessage, res?: ServerResponse | Socket, target?: unknown) => {
    if (req && res) callOf(req)?.onError(err, target);
  });
  // A client that goes away mid-request: nothing to answer; the response's close accounts for it.
  server.on('econnreset', () => undefined);
}

/** http-proxy-middleware, evaluated on first use (see Forwarders). */
let hpm: typeof Hpm | null = null;
function loadHpm(): typeof Hpm {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (hpm ??= require('http-proxy-middleware') as typeof Hpm);
}

/**
 * One http-proxy-middleware instance per backend (its target a ready URL object, the shared
 * keep-alive agent, `selfHandleResponse`, no per-request options), dropped when the backend
 * leaves. Requests already in flight on a removed backend keep their instance. An instance is
 * built the first time its backend gets a request (`--engine hpm`) or a WebSocket upgrade (either
 * engine), and http-proxy-middleware is loaded then: with the default engine and no WebSockets a
 * thread never evaluates it (3.5 MiB of heap each, docs/performance.md).
 */
@Injectable()
export class Forwarders implements OnModuleInit, OnModuleDestroy {
  /** Every backend in the pool; null until its instance is first needed. */
  private readonly byBackend = new Map<Backend, RequestHandler | null>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pool: ServerPool,
    private readonly agents: UpstreamAgents,
  ) {}

  onModuleInit(): void {
    for (const backend of this.pool.all()) this.byBackend.set(backend, null);
    this.unsubscribe = this.pool.on((event) => {
      if (event.type === 'added') {
        if (!this.byBackend.has(event.backend)) this.byBackend.set(event.backend, null);
      } else if (event.type === 'removed') this.byBackend.delete(event.backend);
    });
  }

  /** The backend's instance; undefined once it has left the pool. */
  get(backend: Backend): RequestHandler | undefined {
    const handler = this.byBackend.get(backend);
    if (handler !== null) return handler;
    const built = loadHpm().createProxyMiddleware({
      target: backend.target,
      agent: this.agents.for(backend.target),
      // The exchange writes the response itself (HpmExchange): one writeHead, then the body.
      selfHandleResponse: true,
      ejectPlugins: true,
      plugins: [routeEvents],
    });
    this.byBackend.set(backend, built);
    return built;
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
