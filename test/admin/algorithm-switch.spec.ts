import { Agent } from 'node:http';
import request from 'supertest';
import { ALGORITHM_NAMES } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import {
  type Balancer,
  type DemoBackend,
  startBackends,
  startBalancer,
  stopAll,
  totalServed,
} from '../support/processes';

// Every algorithm in the registry, ending where the balancer started.
const NAMES = [...ALGORITHM_NAMES.slice(1), ALGORITHM_NAMES[0]];

const TOTAL = 1500;
const SWITCHES = 40;
/** A switch after every 30 finished requests: all 40 land with 300 requests still to go. */
const REQUESTS_PER_SWITCH = 30;

describe('runtime algorithm switch under load', () => {
  let balancer: Balancer;
  let backends: DemoBackend[];

  beforeAll(async () => {
    backends = await startBackends(3);
    // A little latency, so the 300 requests left after the last switch are still running when it lands.
    await Promise.all(backends.map((b) => b.control({ latencyMs: 10 })));
    balancer = await startBalancer(['--backends', backends.map((b, i) => `${b.url}=${i + 1}`).join(',')]);
  });
  afterAll(stopAll);

  it('switches 40 times while 1,500 requests run: zero failed requests', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    let completed = 0;
    const load = sendMany(TOTAL, 16, () =>
      httpRequest(`${balancer.url}/`, { agent }).finally(() => {
        completed++;
      }),
    );

    const switches: Array<{ status: number; algorithm: string; completedAfter: number }> = [];
    for (let i = 0; i < SWITCHES; i++) {
      await waitFor(() => completed >= (i + 1) * REQUESTS_PER_SWITCH, 30_000, 2);
      const res = await request(balancer.url)
        .put('/api/algorithm')
        .send({ algorithm: NAMES[i % NAMES.length] });
      switches.push({
        status: res.status,
        algorithm: (res.body as AlgorithmView).algorithm,
        completedAfter: completed,
      });
    }
    const results = await load;
    agent.destroy();

    const failures = results.filter((r) => isFailure(r) || r.status !== 200);
    expect(failures).toEqual([]);
    // Every one of the 40 switches was answered 200 with the algorithm asked for, while requests ran.
    expect(switches.map((s) => [s.status, s.algorithm])).toEqual(
      Array.from({ length: SWITCHES }, (_, i) => [200, NAMES[i % NAMES.length]]),
    );
    expect(switches.filter((s) => s.completedAfter < TOTAL)).toHaveLength(SWITCHES);
    const last = NAMES[(SWITCHES - 1) % NAMES.length];
    expect(((await request(balancer.url).get('/api/algorithm')).body as AlgorithmView).algorithm).toBe(last);
    // The backends served every request themselves.
    expect(await totalServed(backends)).toBe(TOTAL);
  });
});
