import { get, type IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { httpRequest, type SimpleResponse } from '../support/http';
import { type DemoBackend, startBackend, startBalancer, stopAll } from '../support/processes';
import {
  answerHealth,
  escapeRegExp,
  outputMark,
  type RawServer,
  startRawServer,
  waitForFirstCheck,
  waitForNewOutput,
} from '../support/core-traffic';

/** A backend that accepts the connection and then resets it on every proxied request. */
const startResettingServer = () =>
  startRawServer((req, res, socket) => {
    if (answerHealth(req, res)) return;
    socket.resetAndDestroy();
  });

/** A backend that reads the request and never answers it. */
const startHangingServer = () =>
  startRawServer((req, res) => {
    if (answerHealth(req, res)) return;
    req.resume();
  });

const proxied = (raw: RawServer) => raw.received.filter((r) => r.url !== '/health');

function expectPlain(r: SimpleResponse, status: number, reason: RegExp): void {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/^text\/plain/);
  expect(r.body).toMatch(reason);
  expect(r.body.length).toBeLessThan(200);
}

describe('upstream failures: 502, 504 and failover', () => {
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

  it('a backend that does not answer in --upstream-timeout: 504, and the request is not re-sent', async () => {
    const hang = await track(startHangingServer());
    const balancer = await startBalancer(['--backends', hang.url, '--upstream-timeout', '500ms']);
    const r = await httpRequest(`${balancer.url}/slow`);
    expectPlain(r, 504, /timeout/i);
    expect(proxied(hang)).toEqual([{ method: 'GET', url: '/slow' }]);
  });

  it('the upstream timeout also covers a POST sent with Expect: 100-continue, sent once', async () => {
    const hangs = [await track(startHangingServer()), await track(startHangingServer())];
    const balancer = await startBalancer([
      '--backends',
      hangs.map((h) => h.url).join(','),
      '--upstream-timeout',
      '500ms',
    ]);
    const r = await httpRequest(`${balancer.url}/upload`, {
      method: 'POST',
      headers: { expect: '100-continue' },
      body: Buffer.alloc(2048, 1),
    });
    expectPlain(r, 504, /timeout/i);
    // Sent once, to one backend, and not again to the other after the timeout.
    expect(hangs.flatMap(proxied)).toEqual([{ method: 'POST', url: '/upload' }]);
  });

  it('a timeout is never retried on another backend, even for a GET', async () => {
    const hang = await track(startHangingServer());
    const healthy = await startBackend();
    const balancer = await startBalancer([
      '--backends',
      `${hang.url},${healthy.url}`,
      '--upstream-timeout',
      '1s',
      '--algo',
      'rr',
    ]);
    const results: number[] = [];
    for (let i = 0; i < 4; i++) results.push((await httpRequest(`${balancer.url}/`)).status);
    expect(results.sort()).toEqual([200, 200, 504, 504]);
    expect(proxied(hang)).toHaveLength(2);
    expect((await healthy.status()).served).toBe(2);
  });

  it('every attempt reset: 502 after one attempt per backend, each backend tried once', async () => {
    const a = await track(startResettingServer());
    const b = await track(startResettingServer());
    const balancer = await startBalancer(['--backends', `${a.url},${b.url}`, '--health-interval', '1m']);
    const r = await httpRequest(`${balancer.url}/reset-me`);
    expectPlain(r, 502, /bad gateway/i);
    expect(proxied(a)).toHaveLength(1);
    expect(proxied(b)).toHaveLength(1);
  });

  it('a GET reset by one backend fails over to the next and succeeds; the bad one is marked down', async () => {
    const bad = await track(startResettingServer());
    const good = await startBackend();
    const balancer = await startBalancer(['--backends', `${bad.url},${good.url}`, '--health-interval', '1m']);
    const mark = outputMark(balancer);
    for (let i = 0; i < 10; i++) {
      const r = await httpRequest(`${balancer.url}/`);
      expect(r.status).toBe(200);
      expect(r.body).toContain(`localhost:${good.port}`);
    }
    // Marked down on the first reset: no further request reached it.
    expect(proxied(bad)).toHaveLength(1);
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(bad.url)} is DOWN \\(reset while proxying`), 0);
    expect(balancer.output().slice(mark)).toMatch(/failed at .*reset/);
  });

  it('--retries 0: a reset GET is answered 502 at once, not re-sent', async () => {
    const bad = await track(startResettingServer());
    const good = await startBackend();
    const balancer = await startBalancer([
      '--backends',
      `${bad.url},${good.url}`,
      '--retries',
      '0',
      '--health-interval',
      '1m',
    ]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await httpRequest(`${balancer.url}/`)).status);
    expect(statuses).toEqual([502, 200, 200]);
    expect((await good.status()).served).toBe(2);
  });

  it('a refused connection fails over: GETs and a bodyless POST all succeed on the live backend', async () => {
    const doomed = await track(startRawServer((req, res) => void res.end('doomed')));
    const live: DemoBackend = await startBackend();
    const balancer = await startBalancer(['--backends', `${doomed.url},${live.url}`, '--health-interval', '1m']);
    // Let the start-up check pass first; then its port refuses, and no check will notice for a minute.
    await waitForFirstCheck(balancer, doomed.url);
    await doomed.close();
    const r1 = await httpRequest(`${balancer.url}/echo`, { method: 'POST' });
    expect(r1.status).toBe(200);
    expect(JSON.parse(r1.body)).toMatchObject({ method: 'POST', bytes: 0, port: live.port });
    for (let i = 0; i < 5; i++) expect((await httpRequest(`${balancer.url}/`)).status).toBe(200);
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(doomed.url)} is DOWN \\(refused while proxying`), 0);
  });

  it('a WebSocket upgrade to a backend that refuses is answered 502, and the backend is marked down', async () => {
    const doomed = await track(startRawServer((req, res) => void res.end('doomed')));
    const balancer = await startBalancer(['--backends', doomed.url, '--health-interval', '1m']);
    await waitForFirstCheck(balancer, doomed.url);
    await doomed.close();
    const ws = new WebSocket(`ws://127.0.0.1:${balancer.port}/live`);
    const status = await new Promise<number>((resolve, reject) => {
      ws.once('unexpected-response', (_req, res: IncomingMessage) => resolve(res.statusCode ?? 0));
      ws.once('open', () => reject(new Error('upgrade unexpectedly succeeded')));
      ws.once('error', reject);
    });
    expect(status).toBe(502);
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(doomed.url)} is DOWN`), 0);
    const r = await httpRequest(`${balancer.url}/`);
    expect(r.status).toBe(503);
  });

  /** What a client got from a streamed response: the body bytes and how the stream ended. */
  function streamed(url: string): Promise<{ status: number; body: string; ended: 'complete' | 'cut' }> {
    return new Promise((resolve, reject) => {
      get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ended: res.complete ? 'complete' : 'cut' }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body, ended: 'cut' }));
        res.on('aborted', () => resolve({ status: res.statusCode ?? 0, body, ended: 'cut' }));
      }).on('error', reject);
    });
  }

  // --upstream-timeout also bounds the silence between body chunks (nginx's proxy_read_timeout),
  // with either engine.
  it('a body that falls silent for --upstream-timeout is cut, and the backend sees the request end', async () => {
    let backendSawClose: Promise<void> = Promise.resolve();
    const stall = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first part;');
        backendSawClose = new Promise((resolve) => res.once('close', () => resolve()));
      }),
    );
    const balancer = await startBalancer(['--backends', stall.url, '--upstream-timeout', '600ms']);
    const r = await streamed(`${balancer.url}/stalls`);
    expect(r).toEqual({ status: 200, body: 'first part;', ended: 'cut' });
    await backendSawClose;
    expect(proxied(stall)).toEqual([{ method: 'GET', url: '/stalls' }]);
  });

  it('a body that keeps coming outlives --upstream-timeout: only silence counts', async () => {
    const trickle = await track(
      startRawServer((req, res) => {
        if (answerHealth(req, res)) return;
        res.writeHead(200, { 'content-type': 'text/plain' });
        let sent = 0;
        const timer = setInterval(() => {
          res.write(`chunk ${sent};`);
          if (++sent === 12) {
            clearInterval(timer);
            res.end();
          }
        }, 150); // 1.8 s in all, three times the timeout, never silent for more than a quarter of it
        res.once('close', () => clearInterval(timer));
      }),
    );
    const balancer = await startBalancer(['--backends', trickle.url, '--upstream-timeout', '600ms']);
    const r = await streamed(`${balancer.url}/trickles`);
    expect(r.ended).toBe('complete');
    expect(r.body).toBe(Array.from({ length: 12 }, (_, i) => `chunk ${i};`).join(''));
  });
});
