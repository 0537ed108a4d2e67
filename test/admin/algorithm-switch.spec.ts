import { Agent } from 'node:http';
import request from 'supertest';
import { ALGORITHM_NAMES } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/pool';
import { httpRequest, sendMany } from '../support/http';
import { type Balancer, startBackends, startBalancer, stopAll } from '../support/processes';

// Every algorithm in the registry, ending where the balancer started.
const NAMES = [...ALGORITHM_NAMES.slice(1), ALGORITHM_NAMES[0]];

describe('runtime algorithm switch under load', () => {
  let balancer: Balancer;

  beforeAll(async () => {
    const backends = await startBackends(3);
    balancer = await startBalancer(['--backends', backends.map((b, i) => `${b.url}=${i + 1}`).join(',')]);
  });
  afterAll(stopAll);

  it('switches 40 times while 1,500 requests run: zero failed requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    let finished = false;
    const load = sendMany(1500, 16, () => httpRequest(`${balancer.url}/`, { agent })).finally(() => {
      finished = true;
    });

    const switches: number[] = [];
    for (let i = 0; i < 40 && !finished; i++) {
      const res = await request(balancer.url)
        .put('/api/algorithm')
        .send({ algorithm: NAMES[i % NAMES.length] });
      switches.push(res.status);
      await new Promise((r) => setTimeout(r, 5));
    }
    const results = await load;
    agent.destroy();

    const failures = results.filter((r) => r instanceof Error || r.status !== 200);
    expect(failures).toEqual([]);
    expect(switches.length).toBeGreaterThanOrEqual(4);
    expect(switches.every((s) => s === 200)).toBe(true);
    const last = NAMES[(switches.length - 1) % NAMES.length];
    expect(((await request(balancer.url).get('/api/algorithm')).body as AlgorithmView).algorithm).toBe(last);
  });
});
