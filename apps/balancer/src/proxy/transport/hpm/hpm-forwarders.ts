import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { ProxyServer } from 'httpxy';
import { type Backend, ServerPool } from '@loadex/pool';
import { callOf } from './hpm-calls';
import { UpstreamAgents } from './upstream-agents';

/** httpxy's events, routed to the call riding on the client request. Built once. */
function routeEvents(server: ProxyServer): void {
  server.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) => callOf(req)?.onProxyReq(proxyReq));
  server.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) => callOf(req)?.onProxyReqWs(proxyReq));
  server.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage) => callOf(req)?.onProxyRes(proxyRes));
  server.on('error', (err: Error, req?: IncomingMessage, res?: ServerResponse | Socket, target?: unknown) => {
    if (req && res) callOf(req)?.onError(err, target);
  });
  // A client that goes away mid-request: nothing to answer; the response's close accounts for it.
  server.on('econnreset', () => undefined);
}

/**
 * One http-proxy-middleware instance per backend, built when the backend joins the pool (its
 * target a ready URL object, the shared keep-alive agent, no per-request options) and dropped
 * when it leaves. Requests already in flight on a removed backend keep their instance.
 */
@Injectable()
export class Forwarders implements OnModuleInit, OnModuleDestroy {
  private readonly byBackend = new Map<Backend, RequestHandler>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pool: ServerPool,
    private readonly agents: UpstreamAgents,
  ) {}

  onModuleInit(): void {
    for (const backend of this.pool.all()) this.create(backend);
    this.unsubscribe = this.pool.on((event) => {
      if (event.type === 'added') this.create(event.backend);
      else if (event.type === 'removed') this.byBackend.delete(event.backend);
    });
  }

  get(backend: Backend): RequestHandler | undefined {
    return this.byBackend.get(backend);
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private create(backend: Backend): void {
    if (this.byBackend.has(backend)) return;
    const handler = createProxyMiddleware({
      target: backend.target,
      agent: this.agents.for(backend.target),
      ejectPlugins: true,
      plugins: [routeEvents],
    });
    this.byBackend.set(backend, handler);
  }
}
