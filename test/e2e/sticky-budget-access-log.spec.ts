import { backendViews } from '../support/admin-api';
import { answeringPort, startRawServer } from '../support/core-traffic';
import { httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import { startBackends, startBalancer, stopAll } from '../support/processes';

/** The `name=value` part of a Set-Cookie line for `name`, or undefined. */
function stickyCookie(setCookie: string | string[] | undefined, name: string): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return lines.find((l) => l.startsWith(`${name}=`))?.split(';')[0];
}

describe('--sticky-cookie', () => {
  afterAll(() => stopAll());

  it('20 clients keep their backend over 10 requests each; drained, they move and get a new cookie; the value names no host or port', async () => {
    const backends = await startBackends(4);
    const balancer = await startBalancer([
      '--algo',
      'roundrobin',
      '--sticky-cookie',
      'lb',
      '--health-interval',
      '10m',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    const clients: { cookie: string; port: number }[] = [];
    for (let c = 0; c < 20; c++) {
      const first = await httpRequest(balancer.url + '/');
      const cookie = stickyCookie(first.headers['set-cookie'], 'lb')!;
      expect(cookie).toMatch(/^lb=[\w-]+$/);
      expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly/);
      expect(String(first.headers['set-cookie'])).toMatch(/SameSite=Lax/);
      expect(String(first.headers['set-cookie'])).toMatch(/Path=\//);
      const value = cookie.slice(3);
      for (const b of backends) {
        expect(value).not.toContain(String(b.port));
        expect(value).not.toContain('127.0.0.1');
      }
      clients.push({ cookie, port: answeringPort(first)! });
    }
    // Round robin spread the first requests; from now on each client sticks.
    expect(new Set(clients.map((c) => c.port)).size).toBe(4);
    for (const client of clients) {
      for (let i = 0; i < 10; i++) {
        const r = await httpRequest(balancer.url + '/', { headers: { cookie: `other=1; ${client.cookie}` } });
        expect(answeringPort(r)).toBe(client.port);
        expect(r.headers['set-cookie']).toBeUndefined(); // it has the right cookie already
      }
    }

    const drained = backends[0];
    const patch = await httpRequest(balancer.url + '/api/backends', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: drained.url, state: 'draining' }),
    });
    expect(patch.status).toBe(200);
    const moved = clients.filter((c) => c.port === drained.port);
    expect(moved.length).toBeGreaterThan(0);
    for (const client of moved) {
      const r = await httpRequest(balancer.url + '/', { headers: { cookie: client.cookie } });
      expect(answeringPort(r)).not.toBe(drained.port);
      const replaced = stickyCookie(r.headers['set-cookie'], 'lb');
      expect(replaced).toBeDefined();
      expect(replaced).not.toBe(client.cookie);
      // And it sticks to the new one.
      const again = await httpRequest(balancer.url + '/', { headers: { cookie: replaced! } });
      expect(answeringPort(again)).toBe(answeringPort(r));
    }
  });
});

describe('--retry-budget', () => {
  afterAll(() => stopAll());

  it('refuses retries beyond the budget: the request fails as if no retry were left (502), counted', async () => {
    // A backend that resets every GET a moment after it arrived, before answering: each is safe to
    // retry elsewhere, and the whole burst is in flight on it before the first reset marks it down.
    const resetting = await startRawServer((req, res) => {
      if (req.url === '/health') res.end('ok');
      else setTimeout(() => res.socket?.destroy(), 300);
    });
    const [good] = await startBackends(1);
    const run = async (budget: string) => {
      const balancer = await startBalancer([
        '--algo',
        'roundrobin',
        '--retry-budget',
        budget,
        '--outlier-5xx',
        '0',
        '--health-interval',
        '10m',
        '--backends',
        `${resetting.url},${good.url}`,
      ]);
      // Passive health takes a resetting backend down at its first reset: the burst is all in flight
      // by then, so about half of it fails there and asks for a retry at once.
      const results = await sendMany(40, 40, () => httpRequest(balancer.url + '/'));
      const metrics = (await httpRequest(balancer.url + '/metrics')).body;
      const refused = Number(/^golb_retries_refused_total (\d+)/m.exec(metrics)?.[1] ?? NaN);
      await balancer.stop();
      return { results, refused };
    };
    const generous = await run('100%');
    expect(generous.refused).toBe(0);
    expect(generous.results.filter((r) => !isFailure(r) && r.status === 502)).toHaveLength(0);

    const strict = await run('0%');
    const bad = strict.results.filter((r) => !isFailure(r) && r.status === 502).length;
    expect(strict.refused).toBe(bad);
    // At most the floor of 3 retries a second got through; every other reset one got 502.
    const retried = strict.results.filter((r) => !isFailure(r) && r.status === 200).length;
    expect(bad).toBeGreaterThan(0);
    expect(bad + retried).toBe(40);
    await resetting.close();
  });
});

describe('--access-log', () => {
  afterAll(() => stopAll());

  it('writes one JSON line per request with the client, method, path, status, bytes, duration, upstream time, backend and attempts', async () => {
    const [backend] = await startBackends(1);
    const balancer = await startBalancer(['--access-log', '--health-interval', '10m', '--backends', backend.url]);
    for (let i = 0; i < 5; i++) await httpRequest(`${balancer.url}/?logged=${i}`);
    await waitFor(
      () =>
        balancer
          .stdout()
          .split('\n')
          .filter((l) => l.includes('"type":"access"')).length >= 5,
      10_000,
    );
    const lines = balancer
      .stdout()
      .split('\n')
      .filter((l) => l.includes('"type":"access"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    // Each request once. In order only per thread: with --workers 2 each thread buffers its own
    // lines (an asynchronous pino destination), so two threads' lines interleave as they flush.
    expect(lines.map((l) => l.path).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `/?logged=${i}`));
    for (const line of lines) {
      expect(line).toMatchObject({ method: 'GET', status: 200, backend: backend.url, attempts: 1 });
      expect(typeof line.time).toBe('string');
      expect(line.client).toMatch(/127\.0\.0\.1/);
      expect(line.bytes).toBeGreaterThan(0);
      expect(line.durationMs).toBeGreaterThanOrEqual(0);
      expect(line.upstreamMs).toBeGreaterThanOrEqual(0);
    }
    // The proxy's own answers count their bytes too (a refused backend: 502, or 503 once marked down).
    const refused = await startBalancer([
      '--access-log',
      '--health-interval',
      '10m',
      '--backends',
      'http://127.0.0.1:1',
    ]);
    const failed = await httpRequest(`${refused.url}/nowhere`);
    await waitFor(() => refused.stdout().includes('"type":"access"'), 10_000);
    const failedLine = JSON.parse(
      refused
        .stdout()
        .split('\n')
        .find((l) => l.includes('"type":"access"')) ?? '{}',
    ) as Record<string, unknown>;
    expect(failedLine).toMatchObject({ status: failed.status, bytes: Buffer.byteLength(failed.body) });
    expect(failed.body.length).toBeGreaterThan(0);
    // Off by default: no access lines without the flag.
    const quiet = await startBalancer(['--health-interval', '10m', '--backends', backend.url]);
    await httpRequest(quiet.url + '/');
    await waitFor(async () => (await backendViews(quiet))[0].totalRequests === 1);
    expect(quiet.stdout()).not.toContain('"type":"access"');
  });
});
