import type { Browser, Page } from 'playwright-core';
import type { BackendView } from '@loadex/api';
import { httpRequest } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { launchChromium, offHostRequests, openWatchedPage, type WatchedPage } from './support/browser';
import {
  card,
  sendTraffic,
  totalHits,
  waitForCardState,
  waitForLive,
  waitForSnapshots,
  waitForTotalHits,
  WAIT_MS,
} from './support/dashboard-page';

const TOKEN = 'dashboard-test-token';

describe('dashboard with --admin-port and --admin-token', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;

  async function backendState(url: string): Promise<string | undefined> {
    const list = JSON.parse((await httpRequest(`${balancer.adminUrl}/api/backends`)).body) as BackendView[];
    return list.find((b) => b.url === url)?.state;
  }

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer([
      '--port',
      '0',
      '--admin-port',
      '0',
      '--admin-token',
      TOKEN,
      '--backends',
      backends.map((b) => b.url).join(','),
      '--health-interval',
      '500ms',
    ]);
    expect(balancer.adminUrl).not.toBe(balancer.url);
    browser = await launchChromium();
    watched = await openWatchedPage(browser, `${balancer.adminUrl}/dashboard`);
    page = watched.page;
    await waitForLive(page, backends.length);
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('is served by the admin listener only; loads clean, without lab controls', async () => {
    const settings = JSON.parse((await httpRequest(`${balancer.adminUrl}/dashboard/settings.json`)).body) as {
      proxyPort: number | null;
      lab: boolean;
    };
    expect(settings).toMatchObject({ proxyPort: balancer.port, lab: false });
    // The proxy port forwards every path, /dashboard included, to a backend (whose hit the cards show).
    const before = await totalHits(page);
    expect((await httpRequest(`${balancer.url}/dashboard`)).body).not.toContain('Loadex dashboard');
    await waitForTotalHits(page, before + 1);
    expect(await page.locator('.node .lab:visible').count()).toBe(0);
    expect(await page.isVisible('#lab-badge')).toBe(false);
    expect(offHostRequests(watched.requests)).toEqual([]);
    expect(watched.errors).toEqual([]);
  });

  it('Send Traffic goes to the proxy port and the cards rise by exactly N', async () => {
    const before = await totalHits(page);
    await sendTraffic(page, 15);
    await waitForTotalHits(page, before + 15);
    await waitForSnapshots(page, 2);
    expect(await totalHits(page)).toBe(before + 15);
    expect(watched.requests.filter((u) => u === `${balancer.url}/`)).toHaveLength(15);
    expect(offHostRequests(watched.requests)).toEqual([]);
    expect(watched.errors).toEqual([]);
  });

  it('asks for the token once (a wrong one is asked again), keeps it in sessionStorage', async () => {
    const url = backends[0].url;
    const drain = card(page, url).locator('[data-action="drain"]');
    await drain.click();
    await page.waitForSelector('#token-dialog[open]', { timeout: WAIT_MS });
    await page.fill('#token-input', 'wrong-token');
    await page.keyboard.press('Enter');
    await page.locator('#token-reason', { hasText: 'not accepted' }).waitFor({ timeout: WAIT_MS });
    expect(await page.isVisible('#token-dialog')).toBe(true);
    expect(await backendState(url)).toBe('active');

    await page.fill('#token-input', TOKEN);
    await page.keyboard.press('Enter');
    await waitForCardState(page, url, 'draining');
    expect(await backendState(url)).toBe('draining');
    expect(await page.evaluate("sessionStorage.getItem('loadex.adminToken')")).toBe(TOKEN);

    // Asked once: the next change goes straight through.
    await drain.click();
    await waitForCardState(page, url, 'active');
    expect(await page.isVisible('#token-dialog')).toBe(false);
    expect(await backendState(url)).toBe('active');
    // The only console errors are the two expected 401 answers.
    expect(watched.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
