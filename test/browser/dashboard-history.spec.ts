import type { Browser, Page } from 'playwright-core';
import { httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { historyWhen } from '../support/event-stream';
import { launchChromium, offHostRequests, openWatchedPage, type WatchedPage } from './support/browser';
import { waitForLive, waitForSnapshots, WAIT_MS } from './support/dashboard-page';

/** When the dashboard's charts begin: their first point, as the page marks it. */
async function chartsSince(page: Page): Promise<number> {
  return Date.parse((await page.getAttribute('#rates-chart', 'data-since')) ?? '') || 0;
}

/**
 * The charts of a dashboard opened now start with the balancer's last minutes (the `history`
 * event the stream opens with), not empty at the moment the page was opened.
 */
describe('dashboard charts open with the recent past', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let browser: Browser;
  let watched: WatchedPage;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('draws the seconds before the page was opened, then goes on live', async () => {
    const results = await sendMany(40, 4, () => httpRequest(`${balancer.url}/`));
    expect(results.every((r) => !isFailure(r) && r.status === 200)).toBe(true);
    // Wait (bounded) until the balancer's history holds three points.
    const history = await historyWhen(balancer.url, (h) => h.points.length >= 3);
    expect(history.points.length).toBeGreaterThanOrEqual(3);

    const openedAt = Date.now();
    watched = await openWatchedPage(browser, `${balancer.url}/dashboard`);
    await waitForLive(watched.page, backends.length);
    await waitFor(async () => (await chartsSince(watched.page)) > 0, WAIT_MS, 100, 'charts with a first point');
    // Without the history the first point would come from the page's own second snapshot.
    expect(await chartsSince(watched.page)).toBeGreaterThan(0);
    expect(await chartsSince(watched.page)).toBeLessThan(openedAt);

    // Live points follow the history; the past stays on the charts.
    await waitForSnapshots(watched.page, 2);
    expect(await chartsSince(watched.page)).toBeLessThan(openedAt);
    expect(watched.errors).toEqual([]);
    expect(offHostRequests(watched.requests)).toEqual([]);
  });
});
