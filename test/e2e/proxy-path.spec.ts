import { createHash, randomBytes } from 'node:crypto';
import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { httpRequest, sendMany } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { answerHealth, keepAliveAgent, type RawServer, startRawServer, statusCounts } from '../support/core-traffic';

interface EchoReply {
  method: string;
  path: string;
  headers: Record<string, string>;
  bytes: number;
  sha256: string;
  port: number;
}

/** Streams `body` to `url` in 64 KiB chunks (honouring backpressure) and returns the reply. */
function streamPost(url: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/octet-stream' } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    let offset = 0;
    const writeMore = () => {
      while (offset < body.length) {
        const chunk = body.subarray(offset, offset + 65536);
        offset += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}

describe('the proxy path', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let agent: Agent;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--health-interval', '1s']);
    agent = keepAliveAgent(10);
  });

  afterAll(async () => {
    agent?.destroy();
    await stopAll();
  });

  it('a 10 MiB POST arrives intact at the backend (sha256 through /echo), on every backend', async () => {
    const body = randomBytes(10 * 1024 * 1024);
    const sha256 = createHash('sha256').update(body).digest('hex');
    const ports = new Set<number>();
    for (let i = 0; i < 2; i++) {
      const reply = await streamPost(`${balancer.url}/echo?round=${i}`, body);
      expect(reply.status).toBe(200);
      const echo = JSON.parse(reply.text) as EchoReply;
      expect(echo).toMatchObject({ method: 'POST', path: `/echo?round=${i}`, bytes: body.length, sha256 });
      ports.add(echo.port);
    }
    expect(ports.size).toBe(2);
  });

  it('drops hop-by-hop request headers, appends X-Forwarded-For, sets X-Forwarded-Proto and -Host', async () => {
    const reply = await httpRequest(`${balancer.url}/echo`, {
      headers: {
        host: 'shop.example:8443',
        connection: 'keep-alive, x-hop-secret',
        'keep-alive': 'timeout=99',
        'x-hop-secret': 'must not pass',
        'proxy-authorization': 'Basic c2VjcmV0',
        'x-forwarded-for': '203.0.113.7',
        'x-end-to-end': 'kept',
      },
    });
    expect(reply.status).toBe(200);
    const { headers } = JSON.parse(reply.body) as EchoReply;
    expect(headers['x-hop-secret']).toBeUndefined();
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers['x-end-to-end']).toBe('kept');
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('shop.example:8443');
    expect(headers.host).toBe('shop.example:8443');
  });

  it('a POST with Expect: 100-continue (as curl sends) gets the same header rewriting and arrives intact', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const reply = await new Promise<{ status: number; text: string; continued: boolean }>((resolve, reject) => {
      let continued = false;
      const req = request(`${balancer.url}/echo`, {
        method: 'POST',
        agent: false,
        headers: {
          expect: '100-continue',
          connection: 'keep-alive, x-hop-secret',
          'x-hop-secret': 'must not pass',
          'content-length': String(body.length),
        },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), continued }),
        );
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(reply.continued).toBe(true);
    expect(reply.status).toBe(200);
    const echo = JSON.parse(reply.text) as EchoReply;
    expect(echo.bytes).toBe(body.length);
    expect(echo.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(echo.headers['x-hop-secret']).toBeUndefined();
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(echo.headers['x-forwarded-proto']).toBe('http');
  });

  it('keeps method, path and query as the client sent them', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const reply = await httpRequest(`${balancer.url}/echo?q=a%20b&x=1`, { method, agent });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ method, path: '/echo?q=a%20b&x=1' });
    }
  });

  it('proxies a WebSocket upgrade to a backend and echoes text and binary frames', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${balancer.port}/socket`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const nextMessage = () =>
      new Promise<{ data: Buffer; isBinary: boolean }>((resolve) =>
        ws.once('message', (data: Buffer, isBinary: boolean) => resolve({ data, isBinary })),
      );
    let reply = nextMessage();
    ws.send('hello through loadex');
    expect((await reply).data.toString()).toBe('hello through loadex');
    const bytes = randomBytes(100_000);
    reply = nextMessage();
    ws.send(bytes);
    const got = await reply;
    expect(got.isBinary).toBe(true);
    expect(Buffer.compare(got.data, bytes)).toBe(0);
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
  });
});

describe('the proxy path against a hand-written backend', () => {
  let raw: RawServer;
  let balancer: Balancer;
  const bigBody = randomBytes(20 * 1024 * 1024);

  beforeAll(async () => {
    raw = await startRawServer((req, res) => {
      if (answerHealth(req, res)) return;
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let offset = 0;
        const writeMore = () => {
          while (offset < bigBody.length) {
            const chunk = bigBody.subarray(offset, offset + 65536);
            offset += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', writeMore);
          }
          res.end();
        };
        return writeMore();
      }
      if (req.url === '/hop') {
        res.writeHead(200, {
          connection: 'close, x-hop-reply',
          'keep-alive': 'timeout=1',
          'x-hop-reply': 'must not pass',
          'x-end-to-end': 'kept',
          'content-type': 'text/plain',
        });
        return void res.end('hop');
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`path ${req.url}`);
    });
    balancer = await startBalancer(['--backends', raw.url, '--health-interval', '5s']);
  });

  afterAll(async () => {
    await stopAll();
    await raw?.close();
  });

  it('streams a 20 MiB response back intact', async () => {
    const digest = await new Promise<string>((resolve, reject) => {
      request(`${balancer.url}/big`, { agent: false }, (res) => {
        const hash = createHash('sha256');
        res.on('data', (c: Buffer) => hash.update(c));
        res.on('end', () => resolve(hash.digest('hex')));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    expect(digest).toBe(createHash('sha256').update(bigBody).digest('hex'));
  });

  it('drops hop-by-hop response headers, so the backend cannot close or retune the client connection', async () => {
    const agent = keepAliveAgent(1);
    try {
      const first = await httpRequest(`${balancer.url}/hop`, { agent });
      expect(first.status).toBe(200);
      expect(first.headers['x-hop-reply']).toBeUndefined();
      expect(first.headers['x-end-to-end']).toBe('kept');
      expect(first.headers['keep-alive']).not.toBe('timeout=1');
      expect(first.headers.connection).not.toMatch(/close/i);
      // The client's connection stays open: the next request reuses it.
      const sockets = await new Promise<boolean>((resolve, reject) => {
        const req = request(`${balancer.url}/hop`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.reusedSocket));
        });
        req.on('error', reject);
        req.end();
      });
      expect(sockets).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  it('a WebSocket upgrade carries X-Forwarded-For/-Proto/-Host and keeps its Upgrade headers', async () => {
    const wss = new WebSocketServer({ server: raw.server });
    const seen = new Promise<IncomingHttpHeaders>((resolve) =>
      wss.once('connection', (socket, req) => {
        socket.on('message', (data) => socket.send(data));
        resolve(req.headers);
      }),
    );
    const ws = new WebSocket(`ws://127.0.0.1:${balancer.port}/live`, {
      headers: { 'x-forwarded-for': '203.0.113.9', host: 'chat.example' },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const headers = await seen;
    expect(headers['x-forwarded-for']).toBe('203.0.113.9, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('chat.example');
    const echoed = new Promise<string>((resolve) => ws.once('message', (d: Buffer) => resolve(d.toString())));
    ws.send('ping');
    expect(await echoed).toBe('ping');
    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
    wss.close();
  });

  it('proxies /api/... paths that are not admin routes', async () => {
    const reply = await httpRequest(`${balancer.url}/api/orders?id=7`);
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('path /api/orders?id=7');
  });

  it('forwards over pooled keep-alive connections: 300 requests use a handful of backend connections', async () => {
    const before = raw.connections();
    const results = await sendMany(300, 4, () => httpRequest(`${balancer.url}/pooled`));
    expect(statusCounts(results)).toEqual({ '200': 300 });
    // A proxy object or agent built per request would open ~300 connections.
    expect(raw.connections() - before).toBeLessThanOrEqual(8);
  });
});
