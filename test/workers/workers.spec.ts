import { Agent, type ServerResponse } from 'node:http';
import { backendViews, statsSnapshot } from '../support/admin-api';
import { answerHealth, escapeRegExp, outputMark, startRawServer, waitForNewOutput } from '../support/core-traffic';
import { countByBackend, httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import {
  type Balancer,
  type DemoBackend,
  runBalancerToExit,
  startBackends,
  startBalancer,
  stopAll,
} from '../support/processes';

/**
 * `--workers 2`: two data-plane threads on one port behave as one balancer. Every request goes on a
 * fresh connection (agent: false), so the kernel spreads them over both workers' listeners.
 */

/** The value of one metric series (labels as written in the exposition), or 0 when absent. */
function metricValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** The sum of every series of `name` in the exposition text. */
function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + '{') || line.startsWith(name + ' '))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function metrics(balancer: Balancer): Promise<string> {
  return (await httpRequest(balancer.adminUrl + '/metrics')).body;
}

async function perWorker(balancer: Balancer): Promise<number[]> {
  const text = await metrics(balancer);
  return [0, 1].map((w) => metricValue(text, `golb_worker_requests_total{worker="${w}"}`));
}

async function fresh(balancer: Balancer, n: number, concurrency = 1) {
  const results = await sendMany(n, concurrency, () => httpRequest(balancer.url + '/', { agent: false }));
  expect(results.filter((r) => isFailure(r) || r.status !== 200)).toEqual([]);
  return results;
}

describe('--workers 2: one balancer on two threads', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;

  beforeAll(async () => {
    backends = await startBackends(4);
    balancer = await startBalancer(
      ['--workers', '2', '--backends', backends.map((b) => b.url).join(','), '--health-interval', '200ms'],
      { LOADEX_TEST_HOOKS: '1' },
    );
  });

  afterAll(() => stopAll());

  it('starts two worker threads and says so', async () => {
    expect(balancer.output()).toMatch(/on 2 worker threads/);
    expect(metricValue(await metrics(balancer), 'golb_workers')).toBe(2);
  });

  it('400 sequential requests over 4 backends: exactly 100 each, served by both workers', async () => {
    const before = await perWorker(balancer);
    const results = await fresh(balancer, 400);
    expect([...countByBackend(results).values()]).toEqual([100, 100, 100, 100]);
    const after = await perWorker(balancer);
    const served = after.map((n, w) => n - before[w]);
    expect(served[0] + served[1]).toBe(400);
    // 400 fresh connections all hashed to one listener: about 2^-399.
    expect(served[0]).toBeGreaterThan(0);
    expect(served[1]).toBeGreaterThan(0);
  });

  it('golb_requests_total and /api/stats grow by exactly the number of requests sent', async () => {
    const before = metricSum(await metrics(balancer), 'golb_requests_total');
    const statsBefore = (await statsSnapshot(balancer)).totals.requests;
    await fresh(balancer, 250, 10);
    expect(metricSum(await metrics(balancer), 'golb_requests_total')).toBe(before + 250);
    expect((await statsSnapshot(balancer)).totals.requests).toBe(statsBefore + 250);
    const views = await backendViews(balancer);
    expect(views.reduce((n, v) => n + v.totalRequests, 0)).toBe(
      (await statsSnapshot(balancer)).backends.reduce((n, b) => n + b.requests, 0),
    );
  });

  it('a backend added through the API gets its share from every worker at once', async () => {
    const [extra] = await startBackends(1);
    const added = await httpRequest(balancer.adminUrl + '/api/backends', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: extra.url }),
    });
    expect(added.status).toBe(201);
    const results = await fresh(balancer, 500, 5);
    const counts = countByBackend(results);
    expect(counts.get(extra.port)).toBe(100);
    expect([...counts.values()]).toEqual([100, 100, 100, 100, 100]);
    const removed = await httpRequest(`${balancer.adminUrl}/api/backends?url=${encodeURIComponent(extra.url)}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBeLessThan(300);
    const after = countByBackend(await fresh(balancer, 100, 5));
    expect(after.get(extra.port)).toBeUndefined();
  });

  it('a backend failing its health check gets nothing from any worker, then its share again', async () => {
    const sick = backends[1];
    let mark = outputMark(balancer);
    await sick.control({ healthy: false });
    await waitForNewOutput(balancer, new RegExp(`backend ${escapeRegExp(sick.url)} is DOWN`), mark);
    const during = countByBackend(await fresh(balancer, 300, 5));
    expect(during.get(sick.port)).toBeUndefined();
    expect([...during.values()]).toEqual([100, 100, 100]);
    mark = outputMark(balancer);
    await sick.control({ healthy: true });
    await waitForNewOutput(balancer, new RegExp(`backend ${escapeRegExp(sick.url)} is UP`), mark);
    expect([...countByBackend(await fresh(balancer, 400, 5)).values()]).toEqual([100, 100, 100, 100]);
  });

  it('a killed worker is logged, counted and replaced; the balancer keeps serving', async () => {
    const mark = outputMark(balancer);
    balancer.child.kill('SIGUSR2'); // LOADEX_TEST_HOOKS: worker 0 is terminated as a crash would end it
    await waitForNewOutput(balancer, /worker 0 exited with code/, mark);
    await waitFor(async () => {
      const text = await metrics(balancer);
      return metricValue(text, 'golb_worker_restarts_total') === 1 && metricValue(text, 'golb_workers') === 2;
    });
    const before = await perWorker(balancer);
    const results = await fresh(balancer, 200, 4);
    expect([...countByBackend(results).values()]).toEqual([50, 50, 50, 50]);
    const after = await perWorker(balancer);
    expect(after[0] - before[0]).toBeGreaterThan(0); // the new worker 0 takes connections
    expect(after[0] - before[0] + after[1] - before[1]).toBe(200);
    expect((await backendViews(balancer)).map((v) => v.activeRequests)).toEqual([0, 0, 0, 0]);
  });
});

describe('--workers 2: in-flight requests from both workers are counted exactly', () => {
  const held: ServerResponse[] = [];

  afterAll(() => stopAll());

  it('activeRequests is exact while requests from both workers are in flight, then back to 0', async () => {
    const slow = await startRawServer((req, res) => {
      if (answerHealth(req, res)) return;
      held.push(res);
    });
    try {
      const balancer = await startBalancer(['--workers', '2', '--backends', slow.url, '--upstream-timeout', '60s']);
      const before = await perWorker(balancer);
      const n = 40;
      const pending = sendMany(n, n, () => httpRequest(balancer.url + '/', { agent: false }));
      await waitFor(
        () => held.length === n,
        15_000,
        20,
        () => `${held.length} of ${n} requests held`,
      );
      expect((await backendViews(balancer))[0].activeRequests).toBe(n);
      expect((await statsSnapshot(balancer)).totals.activeRequests).toBe(n);
      for (const res of held.splice(0)) res.end('done');
      const results = await pending;
      expect(results.filter((r) => isFailure(r) || r.status !== 200)).toEqual([]);
      const after = await perWorker(balancer);
      // Both workers had some of the n in flight (all on one listener: about 2^-39).
      expect(after[0] - before[0]).toBeGreaterThan(0);
      expect(after[1] - before[1]).toBeGreaterThan(0);
      await waitFor(async () => (await backendViews(balancer))[0].activeRequests === 0);
      expect((await statsSnapshot(balancer)).totals.activeRequests).toBe(0);
    } finally {
      for (const res of held.splice(0)) res.end();
      await slow.close();
    }
  });
});

describe('--workers 2: admin paths on the proxy port, relayed to the main thread', () => {
  afterAll(() => stopAll());

  it("the admin checks see the client's own address, not the relay's loopback; a forged relay header changes nothing", async () => {
    const [backend, extra] = await startBackends(2);
    const balancer = await startBalancer([
      '--workers',
      '2',
      '--backends',
      backend.url,
      '--admin-allow',
      '127.0.0.3/32',
    ]);
    const add = (agent: Agent | false, headers: Record<string, string> = {}) =>
      httpRequest(balancer.url + '/api/backends', {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ url: extra.url }),
      });
    const refused = await add(false, { 'x-loadex-relay-client': '127.0.0.3', 'x-loadex-relay-secret': 'guess' });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).message).toMatch(/not accepted from 127\.0\.0\.1 /);
    const from3 = new Agent({ localAddress: '127.0.0.3' } as ConstructorParameters<typeof Agent>[0]);
    try {
      const accepted = await add(from3);
      expect(accepted.status).toBe(201);
    } finally {
      from3.destroy();
    }
    expect((await backendViews(balancer)).map((v) => v.url)).toEqual([backend.url, extra.url]);
  });

  it('refuses a bad --workers value with exit 2 and one line', async () => {
    for (const bad of ['0', 'two', '1.5', '999']) {
      const { code, output } = await runBalancerToExit(['--workers', bad, '--port', '0']);
      expect(code).toBe(2);
      expect(output).toContain(`invalid --workers "${bad}": expected auto or a whole number from 1 to 256`);
    }
  });
});
