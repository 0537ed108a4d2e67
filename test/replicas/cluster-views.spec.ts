import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { InstancesView, StatsSnapshot } from '@loadex/api';
import { launchChromium, openWatchedPage } from '../browser/support/browser';
import { waitForLive, WAIT_MS } from '../browser/support/dashboard-page';
import { runCli, runCliJson, stopAllCli } from '../support/cli';
import { waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, stopAll } from '../support/processes';
import { RedisServer } from './support/redis-server';
import { startReplica } from './support/replica-cluster';

// The in-page callbacks run in the browser; the project's tsconfig has no DOM lib.
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{ readonly dataset: Record<string, string | undefined> }>;
};

const SENT = 60;

async function stats(replica: Balancer): Promise<StatsSnapshot> {
  return (await request(replica.adminUrl).get('/api/stats').expect(200)).body as StatsSnapshot;
}

/**
 * Traffic sent through one replica only is seen from the other one: in `/api/stats`'s cluster
 * sums, in `/api/instances`, in the CLI and in the dashboard's instance panel.
 */
describe('cluster views over two replicas', () => {
  let redis: RedisServer;
  let backends: DemoBackend[];
  let a: Balancer;
  let b: Balancer;
  let browser: Browser | undefined;

  beforeAll(async () => {
    redis = await RedisServer.start();
    backends = await startBackends(2);
    a = await startReplica(
      'view-a',
      redis,
      backends.map((x) => x.url),
    );
    b = await startReplica('view-b', redis, []);
    const report = await runCliJson<{ sent: number; failed: number }>([
      '--url',
      a.url,
      'make-request',
      '-c',
      String(SENT),
    ]);
    expect(report).toMatchObject({ sent: SENT, failed: 0 });
    // B learns A's traffic from A's heartbeats.
    await waitFor(async () => (await stats(b)).cluster?.totals.requests === SENT, WAIT_MS, 100);
  });

  afterAll(async () => {
    stopAllCli();
    await browser?.close();
    await stopAll();
    await redis.kill();
  });

  it('/api/stats on B: its own numbers, plus the cluster sums over A and B', async () => {
    const snapshot = await stats(b);
    expect(snapshot.instance).toBe('view-b');
    expect(snapshot.totals.requests).toBe(0);
    expect(snapshot.cluster).toMatchObject({ instances: ['view-a', 'view-b'], totals: { requests: SENT, errors: 0 } });
    const perBackend = snapshot.cluster!.backends.map((x) => x.requests);
    expect(perBackend.reduce((sum, n) => sum + n, 0)).toBe(SENT);
    for (const backend of snapshot.cluster!.backends) expect(backend).toMatchObject({ healthyOn: 2, instances: 2 });
    expect(snapshot.cluster!.perInstance.map((i) => [i.instance, i.totals.requests])).toEqual([
      ['view-a', SENT],
      ['view-b', 0],
    ]);
  });

  it('loadex health --all-instances: one column per replica, each with its own health view', async () => {
    const json = await runCliJson<InstancesView>(['--url', b.url, 'health', '--all-instances']);
    expect(json.instance).toBe('view-b');
    expect(json.store).toMatchObject({ url: redis.url, up: true });
    expect(json.instances.map((i) => [i.instance, i.self])).toEqual([
      ['view-a', false],
      ['view-b', true],
    ]);
    expect(json.instances[0].totals.requests).toBe(SENT);
    for (const instance of json.instances) {
      expect(instance.backends.map((x) => x.healthy)).toEqual([true, true]);
    }

    const human = await runCli(['--url', b.url, 'health', '--all-instances']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Server\s+│ view-a\s+│ view-b \(this\)/);
    for (const backend of backends)
      expect(human.stdout).toMatch(new RegExp(`${backend.url}\\s+│ healthy\\s+│ healthy`));
  });

  it("loadex stats on B shows A's traffic per instance and in the cluster total", async () => {
    const human = await runCli(['--url', b.url, 'stats']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`view-a\\s+│\\s+\\d+ │\\s+${SENT} │`));
    expect(human.stdout).toMatch(new RegExp(`view-b \\(this\\)\\s+│\\s+\\d+ │\\s+0 │`));
    expect(human.stdout).toMatch(new RegExp(`cluster total\\s+│\\s+│\\s+${SENT} │`));
  });

  it('the dashboard on B: cluster sums, an instance selector and a health matrix of both replicas', async () => {
    browser = await launchChromium();
    const { page, errors } = await openWatchedPage(browser, `${b.url}/dashboard`);
    await waitForLive(page, backends.length);
    const panel = page.locator('#instances');
    await panel.waitFor({ state: 'visible', timeout: WAIT_MS });
    const summaryRequests = (p: Page) => p.locator('#instance-summary').getAttribute('data-requests');
    await waitFor(async () => (await summaryRequests(page)) === String(SENT), WAIT_MS, 100);
    await waitFor(async () => (await page.locator('#instance-select option').count()) === 3, WAIT_MS, 100);

    await page.selectOption('#instance-select', 'view-a');
    await waitFor(async () => (await summaryRequests(page)) === String(SENT), WAIT_MS, 100);
    await page.selectOption('#instance-select', 'view-b');
    await waitFor(async () => (await summaryRequests(page)) === '0', WAIT_MS, 100);

    const matrix = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#health-matrix td[data-instance]')).map((td) => ({
        instance: td.dataset.instance,
        url: td.dataset.url,
        health: td.dataset.health,
      })),
    );
    const expected = backends
      .map((x) => x.url)
      .sort()
      .flatMap((url) => ['view-a', 'view-b'].map((instance) => ({ instance, url, health: 'healthy' })));
    expect(matrix).toEqual(expected);
    expect(errors).toEqual([]);
  });
});
