import { connect, type Socket } from 'node:net';
import { httpRequest } from '../support/http';
import {
  type Balancer,
  type DemoBackend,
  runBalancerToExit,
  startBackend,
  startBalancer,
  stopAll,
} from '../support/processes';

/**
 * Client-side limits on the proxy port: --client-header-timeout (a slow head gets 408 and is
 * closed), --client-idle-timeout (idle keep-alive connections are closed), --max-connections
 * (connections beyond it are closed at once and counted). Outcomes are asserted, never times.
 */

/** Everything a raw TCP client received until the server closed the connection (bounded wait). */
interface RawClient {
  socket: Socket;
  received(): string;
  /** Resolves when the server closes the connection; rejects after `limitMs`. */
  closed(limitMs?: number): Promise<string>;
  isClosed(): boolean;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let data = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (data += d.toString()));
  socket.on('error', () => undefined); // a reset is a way of being closed too
  const whenClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void whenClosed.then(() => (closed = true));
  return {
    socket,
    received: () => data,
    isClosed: () => closed,
    async closed(limitMs = 20_000) {
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`connection still open after ${limitMs} ms`)), limitMs);
      });
      try {
        await Promise.race([whenClosed, limit]);
      } finally {
        clearTimeout(timer);
      }
      return data;
    },
  };
}

/** Writes the head of a GET one piece every `stepMs`, `pieces` times, without finishing it. */
async function trickle(client: RawClient, pieces: number, stepMs: number): Promise<void> {
  client.socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  for (let i = 0; i < pieces && !client.isClosed(); i++) {
    await new Promise((r) => setTimeout(r, stepMs));
    if (!client.isClosed()) client.socket.write(`X-Slow-${i}: ${'x'.repeat(8)}\r\n`);
  }
}

async function metricValue(balancer: Balancer, series: string): Promise<number> {
  const text = (await httpRequest(`${balancer.adminUrl}/metrics`)).body;
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}

describe('client-side limits', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startBackend();
  });

  afterAll(async () => {
    await stopAll();
  });

  describe('--client-header-timeout', () => {
    let strict: Balancer;
    let lenient: Balancer;

    beforeAll(async () => {
      [strict, lenient] = await Promise.all([
        startBalancer(['--admin-port', '0', '--client-header-timeout', '1s', '--backends', backend.url]),
        startBalancer(['--admin-port', '0', '--client-header-timeout', '30s', '--backends', backend.url]),
      ]);
    });

    afterAll(async () => {
      await Promise.all([strict.stop(), lenient.stop()]);
    });

    it('a client trickling its head past a 1 s limit gets 408 and is closed, and is counted', async () => {
      const client = await rawClient(strict.port);
      // 40 × 100 ms = a head still unfinished after 4 s: far beyond the limit, well inside the bound.
      await trickle(client, 40, 100);
      const answer = await client.closed();
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(answer).toMatch(/Connection: close/i);
      expect(answer).toContain('the request head did not arrive in time');
      expect(await metricValue(strict, 'golb_client_timeouts_total{kind="header"}')).toBe(1);
    });

    it('a client that connects and sends nothing is closed too', async () => {
      const client = await rawClient(strict.port);
      const answer = await client.closed();
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    });

    it('a 30 s limit lets a head completed after 2 s through to the backend', async () => {
      const client = await rawClient(lenient.port);
      await trickle(client, 10, 200);
      expect(client.isClosed()).toBe(false);
      client.socket.write('Connection: close\r\n\r\n');
      const answer = await client.closed();
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(answer).toContain(`Response from backend: http://localhost:${backend.port}`);
      expect(await metricValue(lenient, 'golb_client_timeouts_total{kind="header"}')).toBe(0);
    });

    it('request heads too large still get 431', async () => {
      const r = await httpRequest(`${strict.url}/`, { headers: { 'x-big': 'y'.repeat(20_000) } });
      expect(r.status).toBe(431);
    });
  });

  describe('--client-idle-timeout', () => {
    it('closes an idle keep-alive connection after a 1 s limit, and counts it; 60 s keeps it', async () => {
      const [short, long] = await Promise.all([
        startBalancer(['--admin-port', '0', '--client-idle-timeout', '1s', '--backends', backend.url]),
        startBalancer(['--admin-port', '0', '--backends', backend.url]),
      ]);
      const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
      const [a, b] = await Promise.all([rawClient(short.port), rawClient(long.port)]);
      a.socket.write(request);
      b.socket.write(request);
      const answer = await a.closed();
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(await metricValue(short, 'golb_client_timeouts_total{kind="idle"}')).toBe(1);
      // The same idle time on the default limit: the connection is still open and still usable.
      expect(b.isClosed()).toBe(false);
      const before = b.received().length;
      b.socket.write(request);
      for (let i = 0; i < 100 && b.received().length === before; i++) await new Promise((r) => setTimeout(r, 50));
      expect(b.received().slice(before)).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      b.socket.destroy();
      await Promise.all([short.stop(), long.stop()]);
    });
  });

  describe('--max-connections', () => {
    it('with 2, a 3rd concurrent connection is closed at once and counted; a freed slot is usable again', async () => {
      // One proxy thread: the limit is per thread (each of --workers N has its own, as nginx's
      // worker_connections is per worker), and the kernel spreads connections over the threads.
      const balancer = await startBalancer([
        '--admin-port',
        '0',
        '--max-connections',
        '2',
        '--workers',
        '1',
        '--backends',
        backend.url,
      ]);
      const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
      const held = await Promise.all([rawClient(balancer.port), rawClient(balancer.port)]);
      // Both are accepted and served (a response proves the server took the connection).
      for (const client of held) {
        client.socket.write(request);
        for (let i = 0; i < 200 && !client.received().includes('Response from backend'); i++) {
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(client.received()).toMatch(/^HTTP\/1\.1 200 OK/);
      }
      const third = await rawClient(balancer.port);
      third.socket.write(request);
      expect(await third.closed()).toBe('');
      expect(await metricValue(balancer, 'golb_client_connections_rejected_total')).toBe(1);
      // The held connections are untouched by the rejection.
      expect(held.every((c) => !c.isClosed())).toBe(true);

      held[0].socket.destroy();
      await held[0].closed();
      let answer: Awaited<ReturnType<typeof httpRequest>> | undefined;
      for (let i = 0; i < 100 && answer?.status !== 200; i++) {
        answer = await httpRequest(`${balancer.url}/`).catch(() => undefined);
        if (answer?.status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(answer?.status).toBe(200);
      held[1].socket.destroy();
      await balancer.stop();
    });
  });

  it.each([
    [['--client-header-timeout', 'soon'], /invalid --client-header-timeout "soon": expected a duration/],
    [['--client-idle-timeout', '0s'], /invalid --client-idle-timeout "0s": expected a duration/],
    [['--max-connections', '0'], /invalid --max-connections "0": expected an integer from 1 to 1000000/],
    [['--max-connections', 'lots'], /invalid --max-connections "lots"/],
  ])('%j exits 2 with one line naming the bad value', async (args, message) => {
    const { code, output } = await runBalancerToExit(['--port', '0', '--backends', 'http://127.0.0.1:1', ...args]);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output.trim().split('\n')).toHaveLength(1);
  });
});
