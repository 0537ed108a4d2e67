import 'reflect-metadata';
import type { Server } from 'node:http';
import { json } from 'express';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Command, InvalidArgumentError } from 'commander';
import { WebSocketServer } from 'ws';
import { BackendModule } from './backend.module';
import { BackendPort } from './backend-port';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected an integer from 0 to 65535');
  return port;
}

/** The demo backend: `loadex-backend --port 8001` (0 = any free port; the log line says which). */
async function bootstrap(): Promise<void> {
  const options = new Command('loadex-backend')
    .description('Loadex demo backend: /, /health, /echo, /control and a WebSocket echo')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', parsePort, 8001)
    .option('--host <host>', 'listen address', '127.0.0.1')
    .parse(process.argv.map((a) => (/^-[a-z][a-z-]+$/.test(a) ? `-${a}` : a)))
    .opts<{ port: number; host: string }>();

  const app = await NestFactory.create<NestExpressApplication>(BackendModule, {
    bodyParser: false,
    logger: ['error', 'warn'],
  });
  app.disable('x-powered-by'); // no framework banner (issue 14)
  // Only /control takes JSON; /echo streams its body itself.
  app.use('/control', json({ limit: '16kb' }));
  await app.listen(options.port, options.host);
  const server = app.getHttpServer() as Server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  app.get(BackendPort).value = port;

  // WebSocket echo on any path, for the proxy's upgrade test.
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });

  process.stdout.write(`loadex-backend listening on http://${options.host}:${port}\n`);
  const stop = () => {
    wss.close();
    void app.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void bootstrap();
