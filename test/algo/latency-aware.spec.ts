import { answeringPort } from '../support/core-traffic';
import { httpRequest, sendMany } from '../support/http';
import { startBackends, startBalancer, stopAll } from '../support/processes';

/**
 * ewma and leasttime through a real balancer: the proxy records each attempt's time to first byte
 * into the pool, and a backend 200 ms slower than four others gets almost nothing once measured.
 */
describe.each([['ewma'], ['leasttime']])('%s with one slow backend (real processes)', (algo) => {
  afterAll(() => stopAll());

  it('after warm-up the 200 ms backend gets < 5 % of 400 requests at concurrency 20', async () => {
    const backends = await startBackends(5);
    const [slow] = backends;
    await slow.control({ latencyMs: 200 });
    const balancer = await startBalancer([
      '--algo',
      algo,
      '--health-interval',
      '10m',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    // Warm-up: every backend gets measured (an unmeasured one is tried first).
    await sendMany(40, 5, () => httpRequest(balancer.url + '/'));
    const results = await sendMany(400, 20, () => httpRequest(balancer.url + '/'));
    const toSlow = results.filter((r) => answeringPort(r as never) === slow.port).length;
    expect(results.every((r) => (r as { status?: number }).status === 200)).toBe(true);
    expect(toSlow / 400).toBeLessThan(0.05);
    // And the fast ones all took a share.
    for (const b of backends.slice(1)) {
      expect(results.filter((r) => answeringPort(r as never) === b.port).length).toBeGreaterThan(20);
    }
  });
});
