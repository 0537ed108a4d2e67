import type { Browser, Page } from 'playwright-core';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { launchChromium, openWatchedPage, type WatchedPage } from './support/browser';
import { readCards, waitForLive, WAIT_MS } from './support/dashboard-page';

describe('dashboard live stream', () => {
  let backends: DemoBackend[];
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  /** 0 for the first start; then the port it got, so the restart comes back where the page looks. */
  let port = 0;

  const start = (urls: string[]): Promise<Balancer> =>
    startBalancer(['--port', String(port), '--backends', urls.join(','), '--health-interval', '500ms']);

  beforeAll(async () => {
    backends = await startBackends(3);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('reconnects by itself after the balancer restarts, and shows the new pool without a reload', async () => {
    const first = await start(backends.map((b) => b.url));
    port = first.port;
    watched = await openWatchedPage(browser, `${first.url}/dashboard`);
    page = watched.page;
    await waitForLive(page, 3);
    await page.evaluate('window.notReloaded = true');

    await first.stop();
    await page.waitForSelector('#live-pill:not([data-status="live"])', { timeout: WAIT_MS });

    const second = await start([backends[0].url]);
    expect(second.url).toBe(first.url);
    await waitForLive(page, 1);
    expect((await readCards(page)).map((c) => c.url)).toEqual([backends[0].url]);
    expect(await page.evaluate('window.notReloaded === true')).toBe(true);
    // While the balancer was down the page logged failed connections; nothing else.
    expect(watched.errors.filter((e) => !/ERR_CONNECTION_REFUSED|api\/events/.test(e))).toEqual([]);
  });
});
