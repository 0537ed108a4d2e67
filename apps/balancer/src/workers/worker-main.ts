import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { NestFactory } from '@nestjs/core';
import { SharedSlots } from '@loadex/pool';
import { BalancerLogger } from '../balancer-logger';
import { ClientLimits } from '../lifecycle/client-limits';
import { GracefulShutdown } from '../lifecycle/graceful-shutdown';
import { isAdminPath } from '../proxy/admin-routes';
import { ReverseProxy } from '../proxy/reverse-proxy';
import { isWebSocketUpgrade } from '../proxy/websocket-upgrade';
import { AdminRelay } from './admin-relay';
import { DataPlaneModule } from './data-plane.module';
import { TrafficRing } from './traffic-ring';
import { WorkerChannel } from './worker-channel';
import type { FromWorker, ToWorker, WorkerStart } from './worker-protocol';
import { WorkerReplica } from './worker-replica';

class ParentChannel extends WorkerChannel {
  post(message: FromWorker): void {
    parentPort?.postMessage(message);
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Every worker listens on the same port; the kernel spreads new connections between them.
    server.listen({ port, host, reusePort: true }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** A data-plane thread: the proxy on its own listener, the control state from the main thread. */
export async function runWorker(): Promise<void> {
  const start = workerData as WorkerStart;
  const config = start.config;
  const slots = new SharedSlots(start.slots, start.capacity, start.workers, start.row);
  const ring = new TrafficRing(start.ring);
  const channel = new ParentChannel();
  const app = await NestFactory.createApplicationContext(DataPlaneModule.forRoot(config, start, slots, ring, channel), {
    bufferLogs: true,
  });
  app.useLogger(app.get(BalancerLogger));
  const replica = app.get(WorkerReplica);
  const proxy = app.get(ReverseProxy);
  const shutdown = app.get(GracefulShutdown);
  const relay = start.relay ? new AdminRelay(start.relay.port, start.relay.secret) : null;

  const server = createServer(
    relay === null
      ? (req: IncomingMessage, res: ServerResponse) => proxy.handle(req, res)
      : (req: IncomingMessage, res: ServerResponse) => {
          if (isAdminPath(req.url ?? '/')) relay.forward(req, res);
          else proxy.handle(req, res);
        },
  );
  (server as Server & { shouldUpgradeCallback: (req: IncomingMessage) => boolean }).shouldUpgradeCallback =
    isWebSocketUpgrade;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => proxy.upgrade(req, socket, head));
  app.get(ClientLimits).apply(server);
  shutdown.track(server);

  parentPort?.on('message', (message: ToWorker) => {
    if (message.type === 'change') replica.apply(message.version, message.change);
    else if (message.type === 'drain') {
      shutdown.signal = 'drain (main thread)';
      relay?.endAll();
      app
        .close()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    }
  });
  const port = await listen(server, start.port, config.host);
  channel.post({ type: 'ready', port, threadId });
}
