import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { version } from '../../../package.json';
import { setupAdminHttp } from './admin/admin-http-setup';
import { setupAdminOpenApi } from './admin/admin-openapi';
import { BalancerModule } from './balancer.module';
import { BalancerLogger } from './balancer-logger';
import { DashboardSettings } from './dashboard/dashboard-settings';
import { readConfig } from './config/read-config';
import { ClientLimits } from './lifecycle/client-limits';
import { GracefulShutdown } from './lifecycle/graceful-shutdown';
import { trimMainHeapSoon } from './lifecycle/main-heap-trim';
import { isAdminPath } from './proxy/admin-routes';
import { ReverseProxy } from './proxy/reverse-proxy';
import { isWebSocketUpgrade } from './proxy/websocket-upgrade';
import { acceptRelayed } from './workers/relayed-client';
import { WorkerFleet } from './workers/worker-fleet';

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Hands WebSocket upgrades to the proxy; every other `Upgrade` request stays an ordinary request. */
function proxyWebSockets(
  server: Server,
  onUpgrade: (req: IncomingMessage, socket: Socket, head: Buffer) => void,
): void {
  // Settable after creation (Node reads it per request); Nest creates the shared-port server.
  (server as Server & { shouldUpgradeCallback: (req: IncomingMessage) => boolean }).shouldUpgradeCallback =
    isWebSocketUpgrade;
  server.on('upgrade', onUpgrade);
}

/** The balancer's main thread: everything with --workers 1, the control plane with more. */
export async function bootstrap(): Promise<void> {
  const config = await readConfig();
  const app = await NestFactory.create<NestExpressApplication>(BalancerModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  const logger = app.get(BalancerLogger);
  app.useLogger(logger);
  const proxy = app.get(ReverseProxy);
  const shutdown = app.get(GracefulShutdown);
  const clientLimits = app.get(ClientLimits);
  const onUpgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => proxy.upgrade(req, socket, head);
  setupAdminHttp(app); // first: the Host / cross-site gate before every admin route
  setupAdminOpenApi(app);

  let proxyPort: number;
  let adminPort: number | null = null;
  const fleet = config.workers > 1 ? app.get(WorkerFleet) : null;
  if (fleet !== null) {
    // --workers N: this thread is the control plane; the proxy runs on N worker threads.
    await app.init();
    const adminServer = app.getHttpServer() as Server;
    shutdown.track(adminServer);
    let relay: { port: number; secret: string } | null = null;
    if (config.adminPort === null) {
      // The workers relay the proxy port's admin paths to a private loopback listener, which takes
      // only requests carrying this process's random secret (see relayed-client.ts).
      const secret = randomBytes(32).toString('hex');
      const secretBytes = Buffer.from(secret);
      const express = app.getHttpAdapter().getInstance() as (req: IncomingMessage, res: ServerResponse) => void;
      adminServer.removeAllListeners('request');
      adminServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (acceptRelayed(req, secretBytes)) express(req, res);
        else res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden: not a relayed admin request\n');
      });
      relay = { port: await listen(adminServer, 0, '127.0.0.1'), secret };
    } else {
      adminPort = await listen(adminServer, config.adminPort, config.host);
    }
    proxyPort = await fleet.start(relay);
    trimMainHeapSoon();
  } else if (config.adminPort === null) {
    await app.init();
    const server = app.getHttpServer() as Server;
    // The proxy takes the request before Express and Nest's router see it; only the exact
    // admin routes are handed on to Express.
    const express = app.getHttpAdapter().getInstance() as (req: IncomingMessage, res: ServerResponse) => void;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (isAdminPath(req.url ?? '/')) express(req, res);
      else proxy.handle(req, res);
    });
    clientLimits.apply(server);
    proxyWebSockets(server, onUpgrade);
    shutdown.track(server);
    proxyPort = await listen(server, config.port, config.host);
  } else {
    await app.init();
    const adminServer = app.getHttpServer() as Server;
    shutdown.track(adminServer);
    adminPort = await listen(adminServer, config.adminPort, config.host);
    const proxyServer = createServer((req: IncomingMessage, res: ServerResponse) => proxy.handle(req, res));
    clientLimits.apply(proxyServer);
    proxyWebSockets(proxyServer, onUpgrade);
    shutdown.track(proxyServer);
    proxyPort = await listen(proxyServer, config.port, config.host);
  }

  app.get(DashboardSettings).proxyListening(proxyPort);
  logger.log(
    `Loadex ${version} listening on http://${config.host}:${proxyPort}` +
      (adminPort !== null ? ` (admin on http://${config.host}:${adminPort})` : '') +
      (fleet !== null ? ` on ${config.workers} worker threads` : '') +
      (config.store
        ? ` — backends and algorithm from the store ${config.store.display}, as instance ${config.instance}`
        : ` — algorithm ${config.algorithm}, backends ${config.backends.map((b) => `${b.url.origin}=${b.weight}`).join(',') || '(from state file)'}`) +
      `, engine ${config.engine}`,
    'Main',
  );

  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1); // a second signal: give up waiting
    closing = true;
    shutdown.signal = signal;
    shutdown.announce();
    (fleet?.shutdown() ?? Promise.resolve())
      .then(() => app.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        process.stderr.write(`loadbalancer: shutdown failed: ${(err as Error).message}\n`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
