import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for the few places a port must be named up
 * front: a Prometheus or redis-server started by a test, a balancer restarted on the port it had, or
 * a port nothing listens on (connection refused). Everything else uses --port 0: another test can
 * take a named port between this check and the listen.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
