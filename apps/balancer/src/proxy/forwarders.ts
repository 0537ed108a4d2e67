import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createProxyMiddleware, type RequestHandler } from 'http-proxy-middleware';
import type { ProxyServer } from 'httpxy';
import { type Backend, ServerPool } from '@loadex/pool';
import { UpstreamAgents } from './upstream-agents';

/** What the forwarders report back: the proxy path's error handling and header rewriting. */
export interface ForwardingEvents {
  onUpstreamRequest(proxyReq: ClientRequest, req: IncomingMessage): void;
  onUpstreamResponse(proxyRes: IncomingMessage, req: IncomingMessage): void;
  onUpstreamUpgradeRequest(proxyReq: ClientRequest, req: IncomingMessage): void;
  onUpstreamError(err: Error, req: IncomingMessage, res: ServerResponse | Socket, target: unknown): void;
}

/**
 * One http-proxy-middleware instance per backend, built when the backend joins the pool (its
 * target a ready URL object, the shared keep-alive agent, no per-request options) and dropped
 * when it leaves. Requests already in flight on a removed backend keep their instance.
 */
@Injectable()
export class Forwarders implements OnModuleDestroy {
  private readonly byBackend = new Map<Backend, RequestHandler>();
  private events: ForwardingEvents | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pool: ServerPool,
    private readonly agents: UpstreamAgents,
  ) {}

  /** Called once by the proxy, which owns the error and header policy. */
  bind(events: ForwardingEvents): void {
    this.events = events;
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
    const events = this.events;
    if (!events || this.byBackend.has(backend)) return;
    const handler = createProxyMiddleware({
      target: backend.target,
      agent: this.agents.for(backend.target),
      ejectPlugins: true,
      plugins: [
        (server: ProxyServer) => {
          server.on('proxyReq', (proxyReq: ClientRequest, req: IncomingMessage) =>
            events.onUpstreamRequest(proxyReq, req),
          );
          server.on('proxyReqWs', (proxyReq: ClientRequest, req: IncomingMessage) =>
            events.onUpstreamUpgradeRequest(proxyReq, req),
          );
          server.on('proxyRes', (proxyRes: IncomingMessage, req: IncomingMessage) =>
            events.onUpstreamResponse(proxyRes, req),
          );
          server.on('error', (err: Error, req?: IncomingMessage, res?: ServerResponse | Socket, target?: unknown) => {
            if (req && res) events.onUpstreamError(err, req, res, target);
          });
          // A client that goes away mid-request: nothing to answer; the response's close releases it.
          server.on('econnreset', () => undefined);
        },
      ],
    });
    this.byBackend.set(backend, handler);
  }
}
