import request from 'supertest';
import { ALGORITHMS, type AlgorithmInfo, describeAlgorithms } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { answeringPort } from '../support/core-traffic';
import { httpRequest } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { poolShape } from '../support/admin-api';

/** GET /api/algorithms (the registry as JSON) and PUT /api/algorithm with options, through the built balancer. */
describe('algorithm registry and options over the admin API', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;

  beforeAll(async () => {
    backends = await startBackends(4);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
  });
  afterAll(stopAll);

  const algorithm = async (): Promise<AlgorithmView> =>
    (await request(balancer.url).get('/api/algorithm').expect(200)).body as AlgorithmView;

  it('GET /api/algorithms lists every registry entry with its aliases, sentence and options with defaults', async () => {
    const list = (await request(balancer.url).get('/api/algorithms').expect(200)).body as AlgorithmInfo[];
    expect(list.map((a) => a.name)).toEqual(ALGORITHMS.map((a) => a.name));
    expect(list).toEqual(describeAlgorithms());
    for (const [i, entry] of list.entries()) {
      expect(entry.aliases).toEqual([...ALGORITHMS[i].aliases]);
      expect(entry.description).toBe(ALGORITHMS[i].description);
      expect(entry.options.map((o) => o.name)).toEqual(Object.keys(ALGORITHMS[i].options.shape));
    }
    const hash = list.find((a) => a.name === 'hash')!;
    expect(hash.options).toEqual([
      { name: 'key', type: 'string', default: 'ip', description: expect.stringContaining('--hash-key') },
      { name: 'balanceFactor', type: 'number', default: 0, description: expect.stringContaining('bounded') },
    ]);
    expect(list.find((a) => a.name === 'ewma')!.options).toEqual([
      expect.objectContaining({ name: 'decayMs', type: 'integer', default: 10_000 }),
    ]);
  });

  it('PUT with options switches and GET shows them (defaults filled in); hash on a header places by that header', async () => {
    const set = await request(balancer.url)
      .put('/api/algorithm')
      .send({ algorithm: 'hash', options: { key: 'header:x-user' } })
      .expect(200);
    expect(set.body).toEqual({
      algorithm: 'hash',
      options: { key: 'header:x-user', balanceFactor: 0 },
      available: ALGORITHMS.map((a) => a.name),
    });
    expect(await algorithm()).toMatchObject({ algorithm: 'hash', options: { key: 'header:x-user', balanceFactor: 0 } });

    // The same user always lands on the same backend; different users spread over more than one.
    const portOf = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (let user = 0; user < 20; user++) {
        const r = await httpRequest(`${balancer.url}/`, { headers: { 'x-user': `user-${user}` } });
        expect(r.status).toBe(200);
        const port = answeringPort(r)!;
        if (round === 0) portOf.set(`user-${user}`, port);
        else expect(port).toBe(portOf.get(`user-${user}`));
      }
    }
    expect(new Set(portOf.values()).size).toBeGreaterThan(1);

    // The same name with other options is a change; PUT without options means the defaults.
    await request(balancer.url)
      .put('/api/algorithm')
      .send({ algorithm: 'CHASH', options: { balanceFactor: 1.25 } })
      .expect(200);
    expect((await algorithm()).options).toEqual({ key: 'ip', balanceFactor: 1.25 });
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'hash' }).expect(200);
    expect((await algorithm()).options).toEqual({ key: 'ip', balanceFactor: 0 });
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'peak-ewma', options: {} }).expect(200);
    expect(await algorithm()).toMatchObject({ algorithm: 'ewma', options: { decayMs: 10_000 } });
  });

  it.each([
    [{ algorithm: 'hash', options: { key: 'header:' } }, /^options\.key: expected ip, path, header:NAME/],
    [{ algorithm: 'hash', options: { key: 'body' } }, /^options\.key: expected ip, path, header:NAME/],
    [
      { algorithm: 'hash', options: { balanceFactor: 0.5 } },
      /^options\.balanceFactor: expected 0 \(off\) or a number from 1/,
    ],
    [{ algorithm: 'hash', options: { balanceFactor: '1.25' } }, /^options\.balanceFactor: expected 0 \(off\)/],
    [
      { algorithm: 'hash', options: { keys: 'ip' } },
      /^options: unknown option "keys" for hash: expected key, balanceFactor$/,
    ],
    [
      { algorithm: 'rr', options: { key: 'ip' } },
      /^options: unknown option "key" for roundrobin: it takes no options$/,
    ],
    [{ algorithm: 'ewma', options: { decayMs: 0 } }, /^options\.decayMs: expected an integer number of milliseconds/],
    [{ algorithm: 'ewma', options: 'fast' }, /^options: expected a JSON object/],
  ])('PUT %j is refused with 400 naming the option, and nothing changes', async (body, message) => {
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'p2c' }).expect(200);
    const before = await poolShape(balancer.url);
    const beforeOptions = (await algorithm()).options;
    const res = await request(balancer.url).put('/api/algorithm').send(body).expect(400);
    expect(res.body).toEqual({ statusCode: 400, message: expect.stringMatching(message), error: 'Bad Request' });
    expect(await poolShape(balancer.url)).toEqual(before);
    expect((await algorithm()).options).toEqual(beforeOptions);
    expect(before.algorithm).toBe('p2c');
  });
});
