import type { Browser, Page } from 'playwright-core';
import type { BackendView } from '@loadex/api';
import { httpRequest } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { launchChromium, offHostRequests, openWatchedPage, type WatchedPage } from './support/browser';
import {
  sendTraffic,
  totalHits,
  waitForCardState,
  waitForLive,
  waitForTotalHits,
  WAIT_MS,
} from './support/dashboard-page';

const TOKEN = 'protected-reads-token';

/**
 * With --admin-protect-reads every admin read needs the token, the live stream included. The page
 * reads the stream with fetch() and the stored token (EventSource cannot send one), so after one
 * token prompt it goes live, and pool changes and traffic reach it only through that stream.
 */
describe('dashboard with --admin-token and --admin-protect-reads', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer([
      '--admin-token',
      TOKEN,
      '--admin-protect-reads',
      '--backends',
      backends.map((b) => b.url).join(','),
      '--health-interval',
      '500ms',
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('refuses the live stream and the reads without the token', async () => {
    expect((await httpRequest(`${balancer.url}/api/events`, { timeoutMs: 5_000 })).status).toBe(401);
    expect((await httpRequest(`${balancer.url}/api/backends`)).status).toBe(401);
  });

  it('asks for the token once on load, then goes live with one card per backend', async () => {
    watched = await openWatchedPage(browser, `${balancer.url}/dashboard`);
    page = watched.page;
    await page.waitForSelector('#token-dialog[open]', { timeout: WAIT_MS });
    await page.fill('#token-input', TOKEN);
    await page.keyboard.press('Enter');
    await waitForLive(page, backends.length);
    expect(await page.isVisible('#token-dialog')).toBe(false);
    expect(await page.evaluate("sessionStorage.getItem('loadex.adminToken')")).toBe(TOKEN);
  });

  it('follows a pool change made elsewhere, through the stream', async () => {
    const url = backends[1].url;
    const answer = await httpRequest(`${balancer.url}/api/backends`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, state: 'draining' }),
    });
    expect(answer.status).toBe(200);
    await waitForCardState(page, url, 'draining');
    const list = JSON.parse(
      (await httpRequest(`${balancer.url}/api/backends`, { headers: { authorization: `Bearer ${TOKEN}` } })).body,
    ) as BackendView[];
    expect(list.find((b) => b.url === url)?.state).toBe('draining');
  });

  it('shows traffic sent from the page, counted once', async () => {
    const before = await totalHits(page);
    await sendTraffic(page, 12);
    await waitForTotalHits(page, before + 12);
    expect(offHostRequests(watched.requests)).toEqual([]);
    // The only console errors are the 401 answers that made the page ask for the token.
    expect(watched.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
