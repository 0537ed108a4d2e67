import type { Browser } from 'playwright-core';
import { runCli } from '../support/cli';
import { httpRequest, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { launchChromium, openWatchedPage } from './support/browser';
import { card, waitForLive, WAIT_MS } from './support/dashboard-page';

/** A backend ejected by passive outlier detection shows as ejected (not offline), with the time left. */
describe('an ejected backend on the dashboard and in the CLI', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let browser: Browser;

  beforeAll(async () => {
    backends = await startBackends(3);
    balancer = await startBalancer([
      '--algo',
      'roundrobin',
      '--outlier-5xx',
      '2',
      '--outlier-ejection',
      '60s',
      '--health-interval',
      '10m',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stopAll();
  });

  it('the card says "ejected · Ns left" and is marked apart from offline ones; loadex health says so too', async () => {
    const [bad] = backends;
    await bad.control({ failRate: 1 });
    for (let i = 0; i < 9; i++) await httpRequest(balancer.url + '/');
    const { page } = await openWatchedPage(browser, `${balancer.url}/dashboard`);
    await waitForLive(page, backends.length);
    const badCard = card(page, bad.url);
    await waitFor(async () => (await badCard.getAttribute('data-health')) === 'ejected', WAIT_MS);
    const text = (await badCard.locator('[data-field="health"]').textContent()) ?? '';
    const left = Number(/ejected · (\d+)s left/.exec(text)?.[1]);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60);
    expect(await badCard.getAttribute('class')).toMatch(/is-ejected/);
    expect(await badCard.getAttribute('class')).not.toMatch(/is-offline/);
    for (const other of backends.slice(1))
      expect(await card(page, other.url).getAttribute('data-health')).toBe('online');

    const health = await runCli(['--url', balancer.url, '--no-color', 'health']);
    expect(health.code).toBe(0);
    expect(health.stdout).toMatch(new RegExp(`${bad.url.replace(/\./g, '\\.')}\\s.*ejected \\(\\d+s left\\)`));
  });
});
