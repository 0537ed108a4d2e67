import type { Agent } from 'node:http';
import { countByBackend, httpRequest, type SimpleResponse, waitFor } from '../support/http';
import { type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { backendViews, escapeRegExp, keepAliveAgent, statusCounts, waitForNewOutput } from '../support/core-traffic';

/**
 * SIGKILL one backend while 2,000 GETs are in flight from 100 concurrent clients: every GET must
 * still succeed (refused or reset before any response byte → marked down, re-sent elsewhere).
 */
describe.each([['roundrobin'], ['leastconnection'], ['iphash']])('%s: a backend SIGKILLed under load', (algo) => {
  let backends: DemoBackend[];
  let agent: Agent;

  afterEach(async () => {
    agent?.destroy();
    await stopAll();
  });

  it('2,000 concurrent GETs, zero failed', async () => {
    backends = await startBackends(5);
    const balancer = await startBalancer([
      '--algo',
      algo,
      '--health-interval',
      '1s',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    agent = keepAliveAgent(100);

    // Whom to kill: under iphash every request here comes from 127.0.0.1, so kill the one it uses.
    const probe = await httpRequest(balancer.url + '/', { agent });
    const victim = algo === 'iphash' ? backends.find((b) => probe.body.includes(`localhost:${b.port}`))! : backends[2];

    const total = 2000;
    const results: Array<SimpleResponse | Error> = new Array(total);
    let next = 0;
    let killed: Promise<number | string> | undefined;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        if (i === 400) killed = victim.stop('SIGKILL');
        try {
          results[i] = await httpRequest(balancer.url + '/', { agent, timeoutMs: 60_000 });
        } catch (err) {
          results[i] = err as Error;
        }
      }
    };
    await Promise.all(Array.from({ length: 100 }, worker));
    expect(await killed).toBe('SIGKILL');

    expect(statusCounts(results)).toEqual({ '200': total });
    const counts = countByBackend(results);
    if (algo !== 'iphash') {
      // The survivors took the load; the victim served only what it finished before dying.
      for (const b of backends.filter((x) => x !== victim)) expect(counts.get(b.port)).toBeGreaterThan(200);
      expect(counts.get(victim.port) ?? 0).toBeLessThan(500);
    } else {
      expect(counts.size).toBeGreaterThanOrEqual(2);
    }
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(victim.url)} is DOWN`), 0);
    // Every request, the failed-over ones included, released its count exactly once: none left, none below zero.
    await waitFor(async () => (await backendViews(balancer)).every((v) => v.activeRequests === 0));
    const views = await backendViews(balancer);
    expect(views.reduce((sum, v) => sum + v.totalRequests, 0)).toBeGreaterThanOrEqual(total + 1);
  });
});
