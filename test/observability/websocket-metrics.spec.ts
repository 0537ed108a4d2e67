import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { statsSnapshot } from '../support/admin-api';
import { httpRequest, waitFor } from '../support/http';
import { answerHealth, type RawServer, startRawServer } from '../support/core-traffic';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { type Sample, scrape, select, total } from './support/exposition';

/**
 * A proxied WebSocket upgrade is one request in the metrics and the stats, counted when the
 * client's socket closes (as nginx and HAProxy log it): 101 once upgraded, the backend's own answer
 * when it declines, 503 under "none" when no backend can take it. Counted once, never while open.
 * Any other Upgrade (h2c) is an ordinary request.
 */
const REQUESTS = 'golb_requests_total';
const DURATION_COUNT = 'golb_request_duration_seconds_count';

interface LatencyView {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

interface StatsView {
  totals: { requests: number; errors: number; rps: number; latency: LatencyView };
  backends: Array<{ url: string; requests: number; activeRequests: number; latency: LatencyView }>;
}

const NO_LATENCY: LatencyView = { p50: null, p95: null, p99: null };

const stats = (balancer: Balancer): Promise<StatsView> => statsSnapshot(balancer);

async function samplesWhen(balancer: Balancer, ready: (samples: Sample[]) => boolean): Promise<Sample[]> {
  let samples: Sample[] = [];
  await waitFor(
    async () => {
      samples = (await scrape(balancer.adminUrl)).samples;
      return ready(samples);
    },
    10_000,
    50,
  );
  return samples;
}

/** Opens a WebSocket through the balancer; resolves with it once open, or with the refusal's status. */
function openSocket(balancer: Balancer, path: string): Promise<WebSocket | number> {
  const ws = new WebSocket(`ws://127.0.0.1:${balancer.port}${path}`);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

afterAll(stopAll);

describe('a WebSocket session through the balancer', () => {
  let backend: DemoBackend;
  let balancer: Balancer;

  beforeAll(async () => {
    [backend] = await startBackends(1);
    balancer = await startBalancer(['--backends', backend.url, '--health-interval', '1h']);
  });

  it('is counted once, as status 101, only after it closes', async () => {
    const ws = await openSocket(balancer, '/live');
    if (typeof ws === 'number') throw new Error(`upgrade refused with ${ws}`);
    const echoed = new Promise<string>((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString())));
    ws.send('counted once');
    expect(await echoed).toBe('counted once');

    // Open: held by the backend (active 1), not yet counted.
    const open = (await scrape(balancer.adminUrl)).samples;
    expect(select(open, REQUESTS, { status: '101' })).toEqual([]);
    expect(select(open, 'golb_backend_active_requests').map((s) => s.value)).toEqual([1]);

    ws.close();
    const labels = { method: 'GET', status: '101', backend: backend.url };
    const closed = await samplesWhen(balancer, (s) => select(s, REQUESTS, labels).length > 0);
    expect(select(closed, REQUESTS, labels).map((s) => s.value)).toEqual([1]);
    expect(select(closed, DURATION_COUNT, labels).map((s) => s.value)).toEqual([1]);
    expect(select(closed, 'golb_backend_active_requests').map((s) => s.value)).toEqual([0]);
    expect(total(closed, REQUESTS)).toBe(1);

    // In the live stats it is a request (and in the rate), but its length is not a latency.
    const view = await stats(balancer);
    expect(view.totals).toMatchObject({ requests: 1, errors: 0, latency: NO_LATENCY });
    expect(view.totals.rps).toBeGreaterThan(0);
    expect(view.backends).toEqual([
      expect.objectContaining({ url: backend.url, requests: 1, activeRequests: 0, latency: NO_LATENCY }),
    ]);
  });
});

describe('a WebSocket upgrade that is not accepted', () => {
  let decliner: RawServer;
  let balancer: Balancer;

  beforeAll(async () => {
    // A plain HTTP server: an upgrade request reaches it as an ordinary request, answered 403.
    decliner = await startRawServer((req, res) => {
      if (answerHealth(req, res)) return;
      res.writeHead(403, { 'content-type': 'text/plain' }).end('no WebSockets here\n');
    });
    balancer = await startBalancer(['--backends', decliner.url, '--health-interval', '1h']);
  });

  afterAll(() => decliner?.close());

  it('is counted with the status the backend answered', async () => {
    expect(await openSocket(balancer, '/live')).toBe(403);
    const labels = { method: 'GET', status: '403', backend: decliner.url };
    const samples = await samplesWhen(balancer, (s) => select(s, REQUESTS, labels).length > 0);
    expect(select(samples, REQUESTS, labels).map((s) => s.value)).toEqual([1]);
    expect(total(samples, REQUESTS)).toBe(1);
    expect(decliner.received.filter((r) => r.url === '/live')).toHaveLength(1);
  });

  it('is counted as 503 under "none" when no backend is routable', async () => {
    const drained = await httpRequest(`${balancer.adminUrl}/api/backends`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: decliner.url, state: 'draining' }),
    });
    expect(drained.status).toBe(200);
    expect(await openSocket(balancer, '/live')).toBe(503);
    const labels = { method: 'GET', status: '503', backend: 'none' };
    const samples = await samplesWhen(balancer, (s) => select(s, REQUESTS, labels).length > 0);
    expect(select(samples, REQUESTS, labels).map((s) => s.value)).toEqual([1]);
    expect(total(samples, REQUESTS)).toBe(2);
    expect(decliner.received.filter((r) => r.url === '/live')).toHaveLength(1);
  });
});

describe('an Upgrade request that is not a WebSocket (h2c)', () => {
  let backend: DemoBackend;
  let balancer: Balancer;

  beforeAll(async () => {
    [backend] = await startBackends(1);
    balancer = await startBalancer(['--backends', backend.url, '--health-interval', '1h']);
  });

  it('is proxied as an ordinary request, without its Upgrade, and counted with its status', async () => {
    const answer = await httpRequest(`${balancer.url}/echo`, {
      headers: { connection: 'Upgrade, HTTP2-Settings', upgrade: 'h2c', 'http2-settings': 'AAMAAABkAAQAAP__' },
    });
    expect(answer.status).toBe(200);
    const echo = JSON.parse(answer.body) as { path: string; headers: Record<string, string> };
    expect(echo.path).toBe('/echo');
    expect(echo.headers.upgrade).toBeUndefined();
    expect(echo.headers['http2-settings']).toBeUndefined();
    const labels = { method: 'GET', status: '200', backend: backend.url };
    const samples = await samplesWhen(balancer, (s) => select(s, REQUESTS, labels).length > 0);
    expect(select(samples, REQUESTS, labels).map((s) => s.value)).toEqual([1]);
    expect(total(samples, REQUESTS)).toBe(1);
  });
});
