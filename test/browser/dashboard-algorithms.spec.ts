import type { Browser, Page } from 'playwright-core';
import { ALGORITHMS } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { httpRequest } from '../support/http';
import { type Balancer, startBackends, startBalancer, stopAll } from '../support/processes';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { waitForLive, WAIT_MS } from './support/dashboard-page';

/** The algorithm select is filled from GET /api/algorithms and says how the chosen one chooses. */
describe('dashboard algorithm select from the registry', () => {
  let balancer: Balancer;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;

  beforeAll(async () => {
    const backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
    browser = await launchChromium();
    watched = await openWatchedPage(browser, `${balancer.url}/dashboard`);
    page = watched.page;
    await waitForLive(page, backends.length);
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('offers every registry entry by its title, with its sentence, and explains the current one', async () => {
    await page
      .locator('#algo-select option')
      .nth(ALGORITHMS.length - 1)
      .waitFor({ state: 'attached', timeout: WAIT_MS });
    const options = await page.$$eval('#algo-select option', (list) =>
      list.map((o) => ({ value: o.getAttribute('value'), text: o.textContent, title: o.getAttribute('title') })),
    );
    expect(options).toEqual(ALGORITHMS.map((a) => ({ value: a.name, text: a.title, title: a.description })));
    expect(await page.textContent('#algo-explain')).toBe(ALGORITHMS[0].description);

    await page.selectOption('#algo-select', 'p2c');
    await page.locator('#algo-badge', { hasText: /^Power of two choices$/ }).waitFor({ timeout: WAIT_MS });
    const p2c = ALGORITHMS.find((a) => a.name === 'p2c')!;
    await page.locator('#algo-explain', { hasText: p2c.description }).waitFor({ timeout: WAIT_MS });
    const view = JSON.parse((await httpRequest(`${balancer.url}/api/algorithm`)).body) as AlgorithmView;
    expect(view.algorithm).toBe('p2c');
    expect(watched.errors).toEqual([]);
  });
});
