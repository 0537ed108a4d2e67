import type { Agent } from 'node:http';
import { httpRequest } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { answeringPort, escapeRegExp, keepAliveAgent, outputMark, waitForNewOutput } from '../support/core-traffic';

const clients = Array.from({ length: 200 }, (_, i) => `198.51.${100 + (i >> 8)}.${i & 255}`);

/** Where each client (by X-Forwarded-For) lands right now. */
async function placement(balancer: Balancer, agent: Agent): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const ip of clients) {
    const r = await httpRequest(balancer.url + '/', { agent, headers: { 'x-forwarded-for': ip } });
    expect(r.status).toBe(200);
    out.set(ip, answeringPort(r)!);
  }
  return out;
}

describe('iphash through the balancer', () => {
  let backends: DemoBackend[];
  let agent: Agent;

  beforeAll(async () => {
    backends = await startBackends(5);
    agent = keepAliveAgent(10);
  });

  afterAll(async () => {
    agent?.destroy();
    await stopAll();
  });

  it('with --trust-proxy: sticky per client, spread over all, and only the down backend’s clients move', async () => {
    const balancer = await startBalancer([
      '--algo',
      'ip',
      '--trust-proxy',
      '--health-interval',
      '200ms',
      '--backends',
      backends.map((b) => b.url).join(','),
    ]);
    const first = await placement(balancer, agent);
    expect(await placement(balancer, agent)).toEqual(first);
    expect(new Set(first.values()).size).toBe(5);

    const gone = backends[1];
    let mark = outputMark(balancer);
    await gone.control({ healthy: false });
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(gone.url)} is DOWN`), mark);
    const during = await placement(balancer, agent);
    let moved = 0;
    for (const ip of clients) {
      if (first.get(ip) === gone.port) {
        expect(during.get(ip)).not.toBe(gone.port);
        moved++;
      } else {
        expect(during.get(ip)).toBe(first.get(ip));
      }
    }
    expect(moved).toBeGreaterThan(10);

    mark = outputMark(balancer);
    await gone.control({ healthy: true });
    await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(gone.url)} is UP`), mark);
    expect(await placement(balancer, agent)).toEqual(first);
    await balancer.stop();
  });

  it('without --trust-proxy X-Forwarded-For is ignored: the socket peer decides', async () => {
    const balancer = await startBalancer(['--algo', 'iphash', '--backends', backends.map((b) => b.url).join(',')]);
    const landed = await placement(balancer, agent);
    expect(new Set(landed.values()).size).toBe(1);
    await balancer.stop();
  });
});
