import { readFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { httpRequest, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackend, startBalancer, stopAll } from '../support/processes';
import {
  answerHealth,
  backendViews,
  countOutput,
  escapeRegExp,
  keepAliveAgent,
  type RawServer,
  startRawServer,
  waitForFirstCheck,
} from '../support/core-traffic';

/**
 * What both forwarding engines must keep (issue 13): backpressure both ways, streaming request
 * bodies, early answers, bodiless responses on a reusable connection, repeated headers, aborts
 * reaching the backend, reused-connection resets and exact active-request accounting.
 * The e2e project runs this file with the default engine (undici), e2e-hpm with `--engine hpm`.
 */

const MiB = 1024 * 1024;

/** The balancer's resident memory, from /proc (Linux). */
function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

/** Every backend's active requests back at exactly 0 (polled: the last close may trail the answer). */
async function expectNoActiveRequests(balancer: Balancer): Promise<void> {
  await waitFor(async () => (await backendViews(balancer)).every((v) => v.activeRequests === 0), 5000).catch(
    () => undefined,
  );
  expect((await backendViews(balancer)).map((v) => v.activeRequests)).toEqual(
    (await backendViews(balancer)).map(() => 0),
  );
}

/** A raw request on its own TCP connection, for clients that pause or vanish. */
function rawClient(port: number, head: string): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.write(head);
  return socket;
}

describe('data path semantics', () => {
  const raws: RawServer[] = [];
  const track = async (p: Promise<RawServer>) => {
    const raw = await p;
    raws.push(raw);
    return raw;
  };

  afterEach(async () => {
    await stopAll();
    await Promise.all(raws.splice(0).map((r) => r.close()));
  });

  it('runs the engine this jest project names (undici by default, hpm in e2e-hpm)', async () => {
    const raw = await track(startRawServer((req, res) => void (answerHealth(req, res) || res.end('ok'))));
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const engine = process.env.LOADEX_TEST_ENGINE ?? 'undici';
    expect(balancer.output()).toMatch(new RegExp(`listening on .*, engine ${engine}"`));
    expect((await httpRequest(`${balancer.url}/`)).body).toBe('ok');
  });

  it('a 200 MiB download to a paused client stays under 64 MiB in flight, then arrives whole', async () => {
    const total = 200 * MiB;
    const chunk = Buffer.alloc(64 * 1024, 7);
    let written = 0;
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
        const pump = () => {
          while (written < total) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const baseline = rssBytes(balancer.child.pid!);
    const client = rawClient(balancer.port, 'GET /download HTTP/1.1\r\nhost: test\r\n\r\n');
    let received = 0;
    client.on('data', (d: Buffer) => (received += d.length));
    await waitFor(() => received > 0);
    client.pause();
    // Wait until the backend is held back: its writes stop advancing.
    let last = -1;
    await waitFor(
      () => {
        const stalled = written === last;
        last = written;
        return stalled;
      },
      20_000,
      500,
    );
    const inFlight = written - received;
    const rssGrowth = rssBytes(balancer.child.pid!) - baseline;
    expect(written).toBeLessThan(total);
    expect(inFlight).toBeLessThan(64 * MiB);
    expect(rssGrowth).toBeLessThan(64 * MiB);

    const done = new Promise<void>((resolve) => client.on('end', resolve));
    client.resume();
    await waitFor(() => received >= total, 60_000);
    client.end();
    await done.catch(() => undefined);
    expect(written).toBe(total);
    expect(received).toBeGreaterThan(total); // the body plus the response head
    await expectNoActiveRequests(balancer);
  });

  it('a request body reaches the backend before the client has finished sending it', async () => {
    let firstChunkSeen = false;
    let bytes = 0;
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        req.on('data', (d: Buffer) => {
          firstChunkSeen = true;
          bytes += d.length;
        });
        req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`got ${bytes}`));
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${balancer.url}/upload`, { method: 'POST', agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1000, 1));
      // Only once the backend has the first part does the client send the rest.
      waitFor(() => firstChunkSeen, 10_000)
        .then(() => req.end(Buffer.alloc(500, 2)))
        .catch((err: Error) => req.destroy(err));
    });
    const r = await reply;
    expect(r).toEqual({ status: 200, body: 'got 1500' });
    await expectNoActiveRequests(balancer);
  });

  it('a backend that answers 413 before reading the body gets its 413 to the client', async () => {
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        // Answers at once, without reading the body; Node then discards the rest as it arrives (as
        // nginx's lingering close does: closing with unread input would reset the answer away).
        res.writeHead(413, { 'content-type': 'text/plain' }).end('too large\n');
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${balancer.url}/upload`, {
        method: 'POST',
        agent: false,
        headers: { 'content-length': String(8 * MiB) },
      });
      req.on('response', (res: IncomingMessage) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // Writing the rest may fail once the answer is in: the status is what counts.
      req.on('error', (err) => setTimeout(() => reject(err), 2000));
      const part = Buffer.alloc(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * MiB) {
          sent += part.length;
          if (!req.write(part)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    await expectNoActiveRequests(balancer);
  });

  it('HEAD, 204 and 304 come back without a body, and both connections stay reusable', async () => {
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        if (req.method === 'HEAD') return void res.writeHead(200, { 'content-length': '1234' }).end();
        if (req.url === '/204') return void res.writeHead(204).end();
        if (req.url === '/304') return void res.writeHead(304, { etag: '"v1"' }).end();
        res.writeHead(200, { 'content-type': 'text/plain' }).end('body');
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const agent = keepAliveAgent(1);
    const before = raw.connections();
    try {
      const results: Array<{ status: number; body: string; reused: boolean; length?: string }> = [];
      for (const [method, path] of [
        ['HEAD', '/'],
        ['GET', '/204'],
        ['GET', '/304'],
        ['HEAD', '/'],
        ['GET', '/'],
      ]) {
        results.push(
          await new Promise((resolve, reject) => {
            const req = request(`${balancer.url}${path}`, { method, agent }, (res) => {
              let body = '';
              res.on('data', (d: Buffer) => (body += d.toString()));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  body,
                  reused: req.reusedSocket,
                  length: res.headers['content-length'],
                }),
              );
            });
            req.on('error', reject);
            req.end();
          }),
        );
      }
      expect(results.map((r) => [r.status, r.body])).toEqual([
        [200, ''],
        [204, ''],
        [304, ''],
        [200, ''],
        [200, 'body'],
      ]);
      expect(results[0].length).toBe('1234');
      // The client's connection was reused for every request after the first.
      expect(results.map((r) => r.reused)).toEqual([false, true, true, true, true]);
      // And the balancer's connection to the backend too: one for all five (sequential) requests.
      expect(raw.connections() - before).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('two Set-Cookie lines stay two lines', async () => {
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; HttpOnly']);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('cookies');
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const r = await httpRequest(`${balancer.url}/`);
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('a response head Node cannot write (status 099) is answered 502, and the balancer keeps serving', async () => {
    const odd = createServer((socket) =>
      socket.on('data', (d: Buffer) => {
        const health = d.toString('latin1').startsWith('GET /health');
        socket.end(
          health
            ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK'
            : 'HTTP/1.1 099 Odd\r\nContent-Length: 3\r\n\r\nodd',
        );
      }),
    );
    await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
      const balancer = await startBalancer(['--backends', url, '--health-interval', '1m', '--retries', '0']);
      expect((await httpRequest(`${balancer.url}/odd`)).status).toBe(502);
      expect((await httpRequest(`${balancer.url}/odd`)).status).toBe(502);
      expect((await httpRequest(`${balancer.adminUrl}/api/health`)).status).toBe(200);
      await expectNoActiveRequests(balancer);
    } finally {
      await new Promise((resolve) => odd.close(resolve));
    }
  });

  it('an HTTP/1.0 client gets a chunked answer unchunked, ended by the close (RFC 9112 §6.1)', async () => {
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        res.writeHead(200, { 'content-type': 'text/plain' }); // no length: chunked to us
        res.write('first;');
        setTimeout(() => res.end('second;'), 20);
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const socket = rawClient(balancer.port, 'GET /old HTTP/1.0\r\nHost: old.test\r\n\r\n');
    const answer = await new Promise<string>((resolve, reject) => {
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (text += d));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    expect(head).not.toMatch(/transfer-encoding/i);
    expect(body).toBe('first;second;');
  });

  it('a client that disconnects aborts the upstream request; the backend sees it and nothing stays active', async () => {
    let arrived = 0;
    let closedEarly = 0;
    const raw = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        arrived++;
        // Never answers; notes when the balancer gives up on the request.
        res.on('close', () => closedEarly++);
      }),
    );
    const balancer = await startBalancer(['--backends', raw.url, '--health-interval', '1m']);
    const client = rawClient(balancer.port, 'GET /hang HTTP/1.1\r\nhost: test\r\n\r\n');
    client.on('error', () => undefined);
    await waitFor(() => arrived === 1);
    expect((await backendViews(balancer))[0].activeRequests).toBe(1);
    client.destroy();
    await waitFor(() => closedEarly === 1, 5000, 20);
    await expectNoActiveRequests(balancer);
    // The client's abort is not the backend's failure.
    expect((await backendViews(balancer))[0]).toMatchObject({ healthy: true, failures: 0 });
  });

  it('a reset on a reused keep-alive connection is retried elsewhere and does not mark the backend down', async () => {
    // Answers the first request of each connection, resets the connection on its second one.
    const servedOn = new WeakMap<Socket, number>();
    const flaky = await track(
      startRawServer((req, res, socket) => {
        if (answerHealth(req, res)) return;
        const n = (servedOn.get(socket) ?? 0) + 1;
        servedOn.set(socket, n);
        if (n >= 2) return void socket.resetAndDestroy();
        res.writeHead(200, { 'content-type': 'text/plain' }).end('flaky');
      }),
    );
    const good: DemoBackend = await startBackend();
    // One proxy thread: upstream keep-alive pools are per thread (as nginx's keepalive cache is per
    // worker), so with --workers 2 request 3 may come through the other thread's fresh connection.
    const balancer = await startBalancer([
      '--backends',
      `${flaky.url},${good.url}`,
      '--health-interval',
      '1m',
      '--workers',
      '1',
    ]);
    await waitForFirstCheck(balancer, flaky.url);
    // Round robin: 1 → flaky (fresh connection, answered), 2 → good, 3 → flaky on the reused connection.
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await httpRequest(`${balancer.url}/`);
      expect(r.status).toBe(200);
      bodies.push(r.body);
    }
    expect(bodies[0]).toBe('flaky');
    expect(bodies[2]).toMatch(new RegExp(`localhost:${good.port}`));
    expect(flaky.connections()).toBeGreaterThanOrEqual(1);
    expect(countOutput(balancer, /reused connection/)).toBe(1);
    expect(countOutput(balancer, new RegExp(`${escapeRegExp(flaky.url)} is DOWN`))).toBe(0);
    const views = await backendViews(balancer);
    expect(views.find((v) => v.url === flaky.url)).toMatchObject({ healthy: true, failures: 1 });
    await expectNoActiveRequests(balancer);
  });

  it('active requests are exact after timeouts, retries and refused connections', async () => {
    const hang = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        req.resume();
      }),
    );
    const reset = await track(
      startRawServer((req, res, socket) => {
        if (answerHealth(req, res)) return;
        socket.resetAndDestroy();
      }),
    );
    const good: DemoBackend = await startBackend();
    const balancer = await startBalancer([
      '--backends',
      `${hang.url},${reset.url},${good.url}`,
      '--health-interval',
      '1m',
      '--upstream-timeout',
      '300ms',
      // The accounting under test, not the retry budget (its own spec): let every safe retry go.
      '--retry-budget',
      '100%',
    ]);
    await waitForFirstCheck(balancer, reset.url);
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => statuses.push((await httpRequest(`${balancer.url}/`)).status)),
    );
    // Every answer is a timeout (504) or a success after failover (200); none is lost.
    expect(statuses).toHaveLength(12);
    expect(statuses.every((s) => s === 504 || s === 200)).toBe(true);
    expect(statuses).toContain(504);
    await expectNoActiveRequests(balancer);
  });
});
