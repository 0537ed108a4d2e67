import type { Agent } from 'node:http';
import { countByBackend, httpRequest, sendMany } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { escapeRegExp, keepAliveAgent, outputMark, statusCounts, waitForNewOutput } from '../support/core-traffic';

/**
 * The original's scenarios, ported: round robin over ten real demo backends, one made unhealthy through
 * its /control switch and recovered, 100 concurrent clients, and every backend down → 503.
 */
describe('distribution and health checks (round robin, 10 backends)', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let agent: Agent;

  beforeAll(async () => {
    backends = await startBackends(10);
    balancer = await startBalancer([
      '--backends',
      backends.map((b) => b.url).join(','),
      '--algo',
      'roundrobin',
      '--health-interval',
      '200ms',
      '--health-timeout',
      '1s',
    ]);
    agent = keepAliveAgent(100);
  });

  afterAll(async () => {
    agent?.destroy();
    await stopAll();
  });

  const portsOf = (bs: DemoBackend[]) => bs.map((b) => b.port).sort();

  it('1,000 serial requests over 10 healthy backends: exactly 100 each', async () => {
    const results = await sendMany(1000, 1, () => httpRequest(balancer.url + '/', { agent }));
    expect(statusCounts(results)).toEqual({ '200': 1000 });
    const counts = countByBackend(results);
    expect([...counts.keys()].sort()).toEqual(portsOf(backends));
    expect([...counts.values()]).toEqual(Array(10).fill(100));
  });

  it('1,000 requests from 100 concurrent clients: exactly 100 each, none failed', async () => {
    const results = await sendMany(1000, 100, () => httpRequest(balancer.url + '/', { agent }));
    expect(statusCounts(results)).toEqual({ '200': 1000 });
    expect([...countByBackend(results).values()]).toEqual(Array(10).fill(100));
  });

  it('a backend made unhealthy gets 0 requests after the next checks, the rest stay even; then it recovers', async () => {
    const sick = backends[3];
    let mark = outputMark(balancer);
    await sick.control({ healthy: false });
    await waitForNewOutput(balancer, new RegExp(`backend ${escapeRegExp(sick.url)} is DOWN`), mark);

    const servedBefore = (await sick.status()).served;
    const during = await sendMany(900, 20, () => httpRequest(balancer.url + '/', { agent }));
    expect(statusCounts(during)).toEqual({ '200': 900 });
    const counts = countByBackend(during);
    expect(counts.has(sick.port)).toBe(false);
    expect([...counts.values()]).toEqual(Array(9).fill(100));
    expect((await sick.status()).served).toBe(servedBefore);

    mark = outputMark(balancer);
    await sick.control({ healthy: true });
    await waitForNewOutput(balancer, new RegExp(`backend ${escapeRegExp(sick.url)} is UP`), mark);
    const after = await sendMany(1000, 20, () => httpRequest(balancer.url + '/', { agent }));
    expect(statusCounts(after)).toEqual({ '200': 1000 });
    expect(countByBackend(after).get(sick.port)).toBe(100);
  });

  it('a health transition is logged once, not on every check', async () => {
    const sick = backends[5];
    const mark = outputMark(balancer);
    await sick.control({ healthy: false });
    await waitForNewOutput(balancer, new RegExp(`backend ${escapeRegExp(sick.url)} is DOWN`), mark);
    // Let several more failing checks run (interval 200ms), then count the DOWN lines.
    await new Promise((r) => setTimeout(r, 1500));
    const logged =
      balancer
        .output()
        .slice(mark)
        .match(new RegExp(`${escapeRegExp(sick.url)} is DOWN`, 'g')) ?? [];
    expect(logged).toHaveLength(1);
    const upMark = outputMark(balancer);
    await sick.control({ healthy: true });
    await waitForNewOutput(balancer, new RegExp(`backend ${escapeRegExp(sick.url)} is UP`), upMark);
  });

  it('every backend unhealthy: 503 with a short plain-text reason; back to 200 when one recovers', async () => {
    const mark = outputMark(balancer);
    await Promise.all(backends.map((b) => b.control({ healthy: false })));
    for (const b of backends) await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(b.url)} is DOWN`), mark);

    const results = await sendMany(50, 10, () => httpRequest(balancer.url + '/', { agent }));
    expect(statusCounts(results)).toEqual({ '503': 50 });
    const first = results[0] as Awaited<ReturnType<typeof httpRequest>>;
    expect(first.headers['content-type']).toMatch(/^text\/plain/);
    expect(first.body).toMatch(/no healthy backend/i);
    expect(first.body.length).toBeLessThan(200);

    const upMark = outputMark(balancer);
    await backends[0].control({ healthy: true });
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(backends[0].url)} is UP`), upMark);
    const r = await httpRequest(balancer.url + '/', { agent });
    expect(r.status).toBe(200);
    expect(r.body).toContain(`localhost:${backends[0].port}`);
  });
});
