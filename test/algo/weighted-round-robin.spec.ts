import type { Agent } from 'node:http';
import { countByBackend, httpRequest, sendMany } from '../support/http';
import { type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { keepAliveAgent, serialPorts, statusCounts } from '../support/core-traffic';

/** Weighted and plain round robin through a real balancer: exact order and exact proportions. */
describe('weightedroundrobin through the balancer', () => {
  let backends: DemoBackend[];
  let agent: Agent;

  beforeAll(async () => {
    backends = await startBackends(5);
    agent = keepAliveAgent(50);
  });

  afterAll(async () => {
    agent?.destroy();
    await stopAll();
  });

  it('weights 5,1,1 give a a b a c a a in every cycle of 7 (smooth, not blocks)', async () => {
    const [a, b, c] = backends;
    const balancer = await startBalancer(['--algo', 'wrr', '--backends', `${a.url}=5,${b.url}=1,${c.url}=1`]);
    const letters = new Map([
      [a.port, 'a'],
      [b.port, 'b'],
      [c.port, 'c'],
    ]);
    const sequence = (await serialPorts(balancer.url + '/', 21, agent)).map((p) => letters.get(p)).join('');
    expect(sequence).toBe('aabacaa'.repeat(3));
    await balancer.stop();
  });

  it('weights 2,1,2,1,1 under 50 concurrent clients: exactly proportional', async () => {
    const weights = [2, 1, 2, 1, 1];
    const balancer = await startBalancer([
      '--algo',
      'WeightedRoundRobin',
      '--backends',
      backends.map((b, i) => `${b.url}=${weights[i]}`).join(','),
    ]);
    const results = await sendMany(1400, 50, () => httpRequest(balancer.url + '/', { agent }));
    expect(statusCounts(results)).toEqual({ '200': 1400 });
    const counts = countByBackend(results);
    expect(backends.map((b) => counts.get(b.port))).toEqual([400, 200, 400, 200, 200]);
    await balancer.stop();
  });

  it('without weights every backend counts 1: plain rotation', async () => {
    const balancer = await startBalancer(['--algo', 'wrr', '--backends', backends.map((b) => b.url).join(',')]);
    const ports = await serialPorts(balancer.url + '/', 10, agent);
    expect(ports).toEqual([...backends, ...backends].map((b) => b.port));
    await balancer.stop();
  });

  it('roundrobin rotates strictly in the configured order', async () => {
    const balancer = await startBalancer(['--algo', 'rr', '--backends', backends.map((b) => b.url).join(',')]);
    const ports = await serialPorts(balancer.url + '/', 15, agent);
    expect(ports).toEqual([...backends, ...backends, ...backends].map((b) => b.port));
    await balancer.stop();
  });
});
