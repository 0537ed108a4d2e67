import type { Browser, Page } from 'playwright-core';
import type { AlgorithmView } from '@loadex/api';
import { httpRequest } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { launchChromium, offHostRequests, openWatchedPage, type WatchedPage } from './support/browser';
import { waitForLive, WAIT_MS } from './support/dashboard-page';

const METRICS = ['p50', 'p95', 'p99', 'errors', 'maxLoad'];
const CHOSEN = ['roundrobin', 'leastconnection'];
const COUNT = 30;

async function algorithmOf(balancer: Balancer): Promise<AlgorithmView> {
  return JSON.parse((await httpRequest(`${balancer.adminUrl}/api/algorithm`)).body) as AlgorithmView;
}

async function switches(backends: readonly DemoBackend[]) {
  return Promise.all(
    backends.map(async (b) => {
      const { healthy, latencyMs, failRate } = await b.status();
      return { healthy, latencyMs, failRate };
    }),
  );
}

/** Ticks exactly `names` among the panel's algorithm checkboxes. */
async function choose(page: Page, names: readonly string[]): Promise<void> {
  for (const box of await page.locator('#compare-algorithms input[type="checkbox"]').all()) {
    await box.setChecked(names.includes((await box.getAttribute('value')) ?? ''));
  }
}

/** The Compare panel runs a real comparison from the browser, through the proxy's `/`. */
describe('dashboard Compare panel', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  describe('with --lab on the proxy port', () => {
    let backends: DemoBackend[];
    let balancer: Balancer;
    let watched: WatchedPage;
    let page: Page;

    beforeAll(async () => {
      backends = await startBackends(3);
      balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--lab']);
      watched = await openWatchedPage(browser, `${balancer.url}/dashboard`);
      page = watched.page;
      await waitForLive(page, backends.length);
    });

    it('runs the chosen algorithms against a scenario, draws a bar per algorithm in every chart, and restores everything', async () => {
      await backends[2].control({ latencyMs: 2, failRate: 0.01 });
      await httpRequest(`${balancer.url}/api/algorithm`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ algorithm: 'p2c' }),
      });
      const before = { switches: await switches(backends), algorithm: await algorithmOf(balancer) };
      const servedBefore = await Promise.all(backends.map(async (b) => (await b.status()).served));

      await page.locator('#compare-algorithms input').first().waitFor({ timeout: WAIT_MS });
      expect(await page.getAttribute('#compare', 'data-available')).toBe('true');
      expect(await page.isHidden('#compare-note')).toBe(true);
      await page.selectOption('#compare-scenario', 'skewed');
      await page.fill('#compare-count', String(COUNT));
      await choose(page, CHOSEN);
      await page.click('#compare-btn');
      await page.waitForSelector('#compare[data-state="done"], #compare[data-state="failed"]', { timeout: 90_000 });
      expect(await page.textContent('#compare-status')).toMatch(/^Done: 30 requests through each of 2 algorithms/);

      for (const metric of METRICS) {
        const bars = page.locator(`.compare-chart[data-metric="${metric}"] rect.compare-bar`);
        expect(await bars.evaluateAll((list) => list.map((r) => r.getAttribute('data-algorithm')))).toEqual(CHOSEN);
      }
      const p50 = await page
        .locator('.compare-chart[data-metric="p50"] rect.compare-bar')
        .evaluateAll((list) => list.map((r) => Number(r.getAttribute('width'))));
      expect(p50.every((w) => w > 0)).toBe(true);

      // The stacked bars: each algorithm's parts add up to its requests, and over both runs each
      // backend's parts are what that backend itself served.
      const parts = await page.locator('.compare-chart[data-metric="backends"] rect.compare-part').evaluateAll((list) =>
        list.map((r) => ({
          algorithm: r.getAttribute('data-algorithm') ?? '',
          backend: r.getAttribute('data-backend') ?? '',
          requests: Number(r.getAttribute('data-value')),
        })),
      );
      for (const name of CHOSEN) {
        expect(parts.filter((p) => p.algorithm === name).reduce((sum, p) => sum + p.requests, 0)).toBe(COUNT);
      }
      for (const [i, b] of backends.entries()) {
        const drawn = parts.filter((p) => p.backend === b.url).reduce((sum, p) => sum + p.requests, 0);
        expect(drawn).toBe((await b.status()).served - servedBefore[i]);
      }
      expect(
        await page
          .locator('.compare-table tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-algorithm'))),
      ).toEqual(CHOSEN);

      expect(await switches(backends)).toEqual(before.switches);
      expect(await algorithmOf(balancer)).toEqual(before.algorithm);
      expect(watched.errors).toEqual([]);
      expect(offHostRequests(watched.requests)).toEqual([]);
    });
  });

  describe('where it cannot run', () => {
    it('without --lab: says it needs lab mode', async () => {
      const backends = await startBackends(2);
      const balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
      const watched = await openWatchedPage(browser, `${balancer.url}/dashboard`);
      await waitForLive(watched.page, backends.length);
      const note = watched.page.locator('#compare-note');
      await note.waitFor({ state: 'visible', timeout: WAIT_MS });
      expect(await note.textContent()).toMatch(/^Needs lab mode: .*Start the balancer with --lab\.$/);
      expect(await watched.page.isDisabled('#compare-btn')).toBe(true);
      await watched.page.context().close();
    });

    it('on --admin-port: explains that it needs the proxy port', async () => {
      const backends = await startBackends(2);
      const balancer = await startBalancer([
        '--port',
        '0',
        '--admin-port',
        '0',
        '--backends',
        backends.map((b) => b.url).join(','),
        '--lab',
      ]);
      const watched = await openWatchedPage(browser, `${balancer.adminUrl}/dashboard`);
      await waitForLive(watched.page, backends.length);
      const note = watched.page.locator('#compare-note');
      await note.waitFor({ state: 'visible', timeout: WAIT_MS });
      expect(await note.textContent()).toMatch(/admin port \(--admin-port\).*Open the dashboard on the proxy port/);
      expect(await watched.page.isDisabled('#compare-btn')).toBe(true);
      expect(await watched.page.getAttribute('#compare', 'data-available')).toBe('false');
      await watched.page.context().close();
    });
  });
});
