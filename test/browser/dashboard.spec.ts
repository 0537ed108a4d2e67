import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { algorithmView, backendViews } from '../support/admin-api';
import { runCli } from '../support/cli';
import { httpRequest, sendMany, waitFor } from '../support/http';
import {
  type Balancer,
  type DemoBackend,
  ROOT,
  startBackend,
  startBackends,
  startBalancer,
  stopAll,
  totalServed,
} from '../support/processes';
import { launchChromium, offHostRequests, openWatchedPage, type WatchedPage } from './support/browser';
import {
  card,
  readCards,
  sendTraffic,
  totalHits,
  waitForCardCount,
  waitForCardHealth,
  waitForCardState,
  waitForLive,
  waitForSnapshots,
  waitForToast,
  waitForTotalHits,
  WAIT_MS,
} from './support/dashboard-page';

const HEALTH_INTERVAL = '500ms';

describe('dashboard in Chromium (proxy and admin on one port, lab mode)', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;

  beforeAll(async () => {
    backends = await startBackends(3);
    balancer = await startBalancer([
      '--backends',
      backends.map((b, i) => `${b.url}=${i === 0 ? 2 : 1}`).join(','),
      '--algo',
      'roundrobin',
      '--health-interval',
      HEALTH_INTERVAL,
      '--lab',
    ]);
    browser = await launchChromium();
    watched = await openWatchedPage(browser, `${balancer.url}/dashboard`);
    page = watched.page;
    await waitForLive(page, backends.length);
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('loads with no console errors, nothing fetched off 127.0.0.1, one card per backend', async () => {
    const cards = await readCards(page);
    expect(cards.map((c) => c.url).sort()).toEqual(backends.map((b) => b.url).sort());
    expect(cards.every((c) => c.health === 'online' && c.state === 'active')).toBe(true);
    expect(cards.find((c) => c.url === backends[0].url)?.weight).toBe(2);
    await expect(page.textContent('#algo-badge')).resolves.toBe('Round robin');
    await expect(page.locator('[data-stat="nodes"]').textContent()).resolves.toBe('3');
    // uPlot came from the balancer and drew both charts.
    expect(await page.locator('.uplot').count()).toBe(2);
    expect(watched.requests.some((u) => u.endsWith('/dashboard/assets/uPlot.iife.min.js'))).toBe(true);
    expect(offHostRequests(watched.requests)).toEqual([]);
    expect(watched.errors).toEqual([]);
  });

  it('Send Traffic: the hit counts rise by exactly N across the cards', async () => {
    const before = await totalHits(page);
    const servedBefore = await totalServed(backends);
    await sendTraffic(page, 25);
    await waitForTotalHits(page, before + 25);
    // Two more live snapshots later, still exactly N: the page sent nothing else through the proxy.
    await waitForSnapshots(page, 2);
    expect(await totalHits(page)).toBe(before + 25);
    expect((await totalServed(backends)) - servedBefore).toBe(25);
    expect(watched.errors).toEqual([]);
  });

  it('traffic from the CLI (loadex make-request -c 100) shows on the cards without a reload', async () => {
    await page.evaluate('window.notReloaded = true');
    const before = await totalHits(page);
    const cli = await runCli(['--url', balancer.url, 'make-request', '-c', '100']);
    expect(cli.code).toBe(0);
    expect(cli.stderr).not.toMatch(/error/i);
    await waitForTotalHits(page, before + 100);
    expect(await page.evaluate('window.notReloaded === true')).toBe(true);
  });

  it('a backend made unhealthy through its /control turns offline, and back online when revived', async () => {
    const sick = backends[1];
    await sick.control({ healthy: false });
    await waitForCardHealth(page, sick.url, 'offline');
    await expect(page.locator('[data-stat="offline"]').textContent()).resolves.toBe('1');
    await sick.control({ healthy: true });
    await waitForCardHealth(page, sick.url, 'online');
    await expect(page.locator('[data-stat="offline"]').textContent()).resolves.toBe('0');
  });

  it('lab controls relay to the backend: make unhealthy → offline, make healthy → online', async () => {
    const target = backends[2];
    const lab = card(page, target.url).locator('details.lab');
    await lab.locator('summary').click();
    const toggle = lab.locator('[data-lab="healthy"]');
    await expect(toggle.textContent()).resolves.toBe('Make unhealthy');
    await lab.locator('.lab-status', { hasText: 'Backend says: healthy' }).waitFor({ timeout: WAIT_MS });
    await toggle.click();
    await waitForCardHealth(page, target.url, 'offline');
    expect((await target.status()).healthy).toBe(false);

    await lab.locator('input[name="latencyMs"]').fill('40');
    await lab.locator('input[name="failRate"]').fill('10');
    await lab.locator('.lab-form button').click();
    await waitForToast(page, '+40 ms, 10% failures');
    expect(await target.status()).toMatchObject({ latencyMs: 40, failRate: 0.1 });

    await lab.locator('input[name="latencyMs"]').fill('0');
    await lab.locator('input[name="failRate"]').fill('0');
    await lab.locator('.lab-form button').click();
    await waitForToast(page, '+0 ms, 0% failures');
    await toggle.click();
    await waitForCardHealth(page, target.url, 'online');
    expect(await target.status()).toMatchObject({ healthy: true, latencyMs: 0, failRate: 0 });
    expect(watched.errors).toEqual([]);
  });

  it('Add Node: a bad URL shows the API error inline and adds nothing; a good one adds a card', async () => {
    const before = await backendViews(balancer);
    await page.click('#add-btn');
    await page.fill('#add-url', 'ftp://127.0.0.1:9');
    await page.click('#add-dialog button[type="submit"]');
    await page.waitForSelector('#add-url-error:not(:empty)', { timeout: WAIT_MS });
    expect(await page.textContent('#add-url-error')).toMatch(/^url: .*http: or https:/);
    expect(await page.getAttribute('#add-url', 'aria-invalid')).toBe('true');
    expect(await page.isVisible('#add-dialog')).toBe(true);

    await page.fill('#add-url', 'http://127.0.0.1:9');
    await page.fill('#add-weight', '0');
    await page.click('#add-dialog button[type="submit"]');
    await page.waitForSelector('#add-weight-error:not(:empty)', { timeout: WAIT_MS });
    expect(await page.textContent('#add-weight-error')).toMatch(/^weight: /);
    expect(await backendViews(balancer)).toHaveLength(before.length);
    expect(await page.locator('.node').count()).toBe(before.length);

    const extra = await startBackend();
    await page.fill('#add-url', extra.url);
    await page.fill('#add-weight', '3');
    await page.click('#add-dialog button[type="submit"]');
    await waitForCardCount(page, before.length + 1);
    expect(await page.isVisible('#add-dialog')).toBe(false);
    const added = (await backendViews(balancer)).find((b) => b.url === extra.url);
    expect(added?.weight).toBe(3);
    await waitForCardHealth(page, extra.url, 'online');
    backends.push(extra);
    // The two expected 400 answers are the only console errors ("Failed to load resource").
    expect(watched.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    watched.errors.length = 0;
  });

  it('per-node Drain / Undrain / Weight / Remove and the algorithm switcher change the balancer', async () => {
    const target = backends[backends.length - 1];
    const node = card(page, target.url);

    await node.locator('[data-action="drain"]').click();
    await waitForCardState(page, target.url, 'draining');
    expect((await backendViews(balancer)).find((b) => b.url === target.url)?.state).toBe('draining');
    await expect(node.locator('[data-action="drain"]').textContent()).resolves.toBe('Undrain');
    await node.locator('[data-action="drain"]').click();
    await waitForCardState(page, target.url, 'active');

    await node.locator('input[name="weight"]').fill('5');
    await node.locator('.weight-form button').click();
    await waitForToast(page, `Weight of ${target.url.slice('http://'.length)} is 5`);
    expect((await backendViews(balancer)).find((b) => b.url === target.url)?.weight).toBe(5);

    await page.selectOption('#algo-select', 'leastconnection');
    await page.locator('#algo-badge', { hasText: /^Least connection$/ }).waitFor({ timeout: WAIT_MS });
    expect((await algorithmView(balancer)).algorithm).toBe('leastconnection');
    await page.selectOption('#algo-select', 'roundrobin');
    await page.locator('#algo-badge', { hasText: /^Round robin$/ }).waitFor({ timeout: WAIT_MS });

    // Remove asks for a second click.
    await node.locator('[data-action="remove"]').click();
    await expect(node.locator('[data-action="remove"]').textContent()).resolves.toBe('Confirm remove');
    await node.locator('[data-action="remove"]').click();
    await waitForCardCount(page, backends.length - 1);
    expect((await backendViews(balancer)).map((b) => b.url)).not.toContain(target.url);
    backends.pop();
    await target.stop();
    expect(watched.errors).toEqual([]);
  });

  it('Manual Refresh re-reads the balancer and says so', async () => {
    const reads = () =>
      watched.requests.filter((url) => /\/api\/(backends|algorithm|stats)$/.test(new URL(url).pathname));
    const readsBefore = reads().length;
    const views = await backendViews(balancer);
    await page.click('#refresh-btn');
    // The toast says what it read: as many nodes as the API has, and the algorithm it reports.
    await page
      .locator('.toast', { hasText: `Refreshed${views.length} nodes, Round robin` })
      .first()
      .waitFor({ timeout: WAIT_MS });
    await page.waitForSelector('#live-pill[data-status="live"]', { timeout: WAIT_MS });
    await waitForCardCount(page, views.length);
    // It read the backends, the algorithm and the stats again.
    const paths = reads()
      .slice(readsBefore)
      .map((url) => new URL(url).pathname);
    expect([...new Set(paths)].sort()).toEqual(['/api/algorithm', '/api/backends', '/api/stats']);
    // And the cards show what the API shows.
    const cards = await readCards(page);
    expect(cards.map((c) => [c.url, c.weight]).sort()).toEqual(views.map((v) => [v.url, v.weight]).sort());
  });

  it('is usable by keyboard: Add Node opens, takes input and closes with Escape', async () => {
    await page.focus('#add-btn');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#add-dialog[open]', { timeout: WAIT_MS });
    expect(await page.evaluate('document.activeElement.id')).toBe('add-url');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#add-dialog', { state: 'hidden', timeout: WAIT_MS });
  });

  it('renders the main view at desktop 1440×900 and narrow 390×844 without horizontal overflow, and saves both to docs/screenshots', async () => {
    const dir = resolve(ROOT, 'docs/screenshots');
    await mkdir(dir, { recursive: true });
    // Twenty seconds of uneven traffic with one slower backend, so the charts have something to show.
    await backends[1].control({ latencyMs: 25 });
    for (let round = 0; round < 40; round++) {
      await sendMany(12 + Math.round(8 * Math.sin(round / 4)), 4, () => httpRequest(`${balancer.url}/`));
      await new Promise((r) => setTimeout(r, 500));
    }
    await backends[1].control({ latencyMs: 0 });
    // The main view as a visitor sees it: top of the page, nothing focused, no toasts left.
    await page.evaluate('window.scrollTo(0, 0); document.activeElement?.blur()');
    await page.mouse.move(1, 1);
    await waitFor(async () => (await page.locator('.toast').count()) === 0, WAIT_MS, 100);
    await waitForSnapshots(page, 1);
    const desktop = await page.screenshot({ path: resolve(dir, 'dashboard-desktop.png') });

    const narrow = await openWatchedPage(browser, `${balancer.url}/dashboard`, { width: 390, height: 844 });
    await waitForLive(narrow.page, backends.length);
    await waitForSnapshots(narrow.page, 2);
    const narrowShot = await narrow.page.screenshot({ path: resolve(dir, 'dashboard-narrow.png') });

    // The files are the sizes the name says (a PNG's width and height are at bytes 16 and 20).
    expect([desktop.readUInt32BE(16), desktop.readUInt32BE(20)]).toEqual([1440, 900]);
    expect([narrowShot.readUInt32BE(16), narrowShot.readUInt32BE(20)]).toEqual([390, 844]);
    // Both widths fit the page: nothing sticks out sideways, and every backend has its card.
    for (const view of [page, narrow.page]) {
      expect(await view.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
      expect(await view.locator('.node').count()).toBe(backends.length);
    }
    // The charts were drawn from the traffic: the hit counts add up to what the backends served.
    expect(await totalHits(narrow.page)).toBe(await totalServed(backends));
    expect(narrow.errors).toEqual([]);
    expect(offHostRequests([...watched.requests, ...narrow.requests])).toEqual([]);
  });
});
