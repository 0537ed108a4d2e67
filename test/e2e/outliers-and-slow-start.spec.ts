import type { BackendView } from '@loadex/api';
import { backendViews } from '../support/admin-api';
import { answeringPort } from '../support/core-traffic';
import { httpRequest, waitFor } from '../support/http';
import { type DemoBackend, runBalancerToExit, startBackends, startBalancer, stopAll } from '../support/processes';

const viewOf = (views: BackendView[], backend: DemoBackend) => views.find((v) => v.url === backend.url)!;

/** Sends `n` GETs one after another on fresh connections; returns the statuses and who answered. */
async function serial(url: string, n: number): Promise<{ statuses: number[]; ports: (number | undefined)[] }> {
  const statuses: number[] = [];
  const ports: (number | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const r = await httpRequest(url + '/');
    statuses.push(r.status);
    ports.push(answeringPort(r));
  }
  return { statuses, ports };
}

describe('passive outlier ejection through a real balancer', () => {
  afterEach(() => stopAll());

  it('a backend whose /health says 200 but answers 500 is ejected after --outlier-5xx in a row, its 5xx passed on, then comes back by itself', async () => {
    const backends = await startBackends(3);
    const [bad] = backends;
    const balancer = await startBalancer([
      '--algo',
      'roundrobin',
      '--outlier-5xx',
      '3',
      '--outlier-ejection',
      '2s',
      '--health-interval',
      '10m',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    await bad.control({ failRate: 1 });

    // Round robin over three: every third request reaches the bad backend until it is ejected.
    const before = await serial(balancer.url, 12);
    const fives = before.statuses.filter((s) => s === 500).length;
    expect(fives).toBe(3); // passed to the client as they are, not retried, then no more
    expect(before.statuses.slice(-3)).toEqual([200, 200, 200]);

    const ejected = viewOf(await backendViews(balancer), bad);
    expect(ejected.outlier.ejected).toBe(true);
    expect(ejected.outlier.ejections).toBe(1);
    expect(Date.parse(ejected.outlier.until!)).toBeGreaterThan(Date.now() - 1000);
    expect(ejected.healthy).toBe(true); // its health checks say nothing is wrong

    const during = await serial(balancer.url, 10);
    expect(during.statuses).toEqual(Array(10).fill(200));
    expect(during.ports).not.toContain(bad.port);

    const metrics = (await httpRequest(balancer.url + '/metrics')).body;
    expect(metrics).toContain(`golb_outlier_ejections_total{backend="${bad.url}"} 1`);
    expect(metrics).toContain(`golb_backend_ejected{backend="${bad.url}"} 1`);

    await bad.control({ failRate: 0 });
    await waitFor(async () => !viewOf(await backendViews(balancer), bad).outlier.ejected, 10_000);
    const after = await serial(balancer.url, 9);
    expect(after.ports.filter((p) => p === bad.port)).toHaveLength(3);
  });

  it('--outlier-max-ejected caps the share of the pool ejected at once; --outlier-5xx 0 turns it off', async () => {
    const backends = await startBackends(2);
    for (const b of backends) await b.control({ failRate: 1 });
    const capped = await startBalancer([
      '--outlier-5xx',
      '2',
      '--outlier-max-ejected',
      '50%',
      '--health-interval',
      '10m',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    await serial(capped.url, 10);
    const views = await backendViews(capped);
    expect(views.filter((v) => v.outlier.ejected)).toHaveLength(1);

    const off = await startBalancer([
      '--outlier-5xx',
      '0',
      '--health-interval',
      '10m',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    await serial(off.url, 10);
    expect((await backendViews(off)).filter((v) => v.outlier.ejected)).toHaveLength(0);
  });

  it('--slow-start ramps a backend added at runtime: effectiveWeight starts at a tenth of its weight and grows to all of it', async () => {
    const backends = await startBackends(2);
    const balancer = await startBalancer([
      '--algo',
      'wrr',
      '--slow-start',
      '3s',
      '--health-interval',
      '10m',
      '--backends',
      backends[0].url,
    ]);
    expect(viewOf(await backendViews(balancer), backends[0]).effectiveWeight).toBe(1); // the first fill: full weight
    const added = await httpRequest(`${balancer.url}/api/add?url=${backends[1].url}&weight=10`, { method: 'POST' });
    expect(added.status).toBe(201);
    const first = viewOf(await backendViews(balancer), backends[1]).effectiveWeight;
    expect(first).toBeGreaterThanOrEqual(1);
    expect(first).toBeLessThan(5);
    await waitFor(async () => viewOf(await backendViews(balancer), backends[1]).effectiveWeight === 10, 10_000);
  });

  it.each([
    [['--outlier-5xx', '-1'], /invalid --outlier-5xx "-1"/],
    [['--outlier-ejection', 'soon'], /invalid --outlier-ejection "soon"/],
    [['--outlier-max-ejected', '150%'], /invalid --outlier-max-ejected "150%"/],
    [['--slow-start', 'slowly'], /invalid --slow-start "slowly"/],
    [['--retry-budget', 'lots'], /invalid --retry-budget "lots"/],
    [['--sticky-cookie', 'a b'], /invalid --sticky-cookie "a b"/],
  ])('%j exits 2 naming the value', async (args, message) => {
    const { code, output } = await runBalancerToExit(['--port', '0', '--backends', 'http://127.0.0.1:1', ...args]);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output.trim().split('\n')).toHaveLength(1);
  });
});
