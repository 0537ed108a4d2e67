import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of one backend, for a network partition the backend itself
 * cannot show: `blackHole()` makes it keep accepting connections (and keep the open ones) but
 * forward nothing either way, as a dropped route or a dead middlebox does; `restore()` heals it
 * (the connections caught in the hole are cut, new ones are forwarded again).
 */
export interface TcpRelay {
  port: number;
  url: string;
  blackHole(): void;
  restore(): void;
  isBlackHoled(): boolean;
  close(): Promise<void>;
}

export async function startTcpRelay(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpRelay> {
  let holed = false;
  /** Every client connection with its upstream (null while black-holed: never connected). */
  const pairs = new Map<Socket, Socket | null>();
  const server: Server = createServer((client) => {
    client.on('error', () => undefined);
    client.once('close', () => {
      pairs.get(client)?.destroy();
      pairs.delete(client);
    });
    if (holed) {
      pairs.set(client, null);
      client.resume(); // read and drop whatever it sends
      return;
    }
    const upstream = connect(targetPort, targetHost);
    upstream.on('error', () => client.destroy());
    upstream.once('close', () => client.destroy());
    pairs.set(client, upstream);
    // Forward by hand rather than pipe(), so a black hole can stop the bytes on open connections too.
    client.on('data', (chunk: Buffer) => {
      if (!holed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!holed) client.write(chunk);
    });
    client.on('end', () => {
      if (!holed) upstream.end();
    });
    upstream.on('end', () => {
      if (!holed) client.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    blackHole() {
      holed = true;
    },
    restore() {
      if (!holed) return;
      holed = false;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      pairs.clear();
    },
    isBlackHoled: () => holed,
    close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
