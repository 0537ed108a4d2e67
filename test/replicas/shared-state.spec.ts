import request from 'supertest';
import { countByBackend, httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, stopAll } from '../support/processes';
import { RedisServer } from './support/redis-server';
import { instances, sharedShape, startReplica, storedShape, untilPool } from './support/replica-cluster';

/**
 * Two replicas, one Redis: a change made on either is in the store before it is acknowledged and
 * reaches the other (pub/sub + resync), and concurrent changes converge to the store's state.
 */
describe('replicas sharing one --store', () => {
  let redis: RedisServer;
  let backends: DemoBackend[];
  let a: Balancer;
  let b: Balancer;

  beforeAll(async () => {
    redis = await RedisServer.start();
    backends = await startBackends(3);
    a = await startReplica('replica-a', redis, [backends[0].url]);
    b = await startReplica('replica-b', redis, [backends[0].url]);
  });

  afterAll(async () => {
    await stopAll();
    await redis.kill();
  });

  it('the first replica seeds the empty store from --backends, the second takes the store as it is', async () => {
    expect(a.output()).toMatch(/was empty: seeded it with 1 backend\(s\) and algorithm roundrobin from --backends/);
    expect(b.output()).toMatch(/holds 1 backend\(s\) at version \d+: using them/);
    expect(await storedShape(redis)).toEqual([{ url: backends[0].url, weight: 1, state: 'active' }]);
    expect(await sharedShape(b)).toEqual(await storedShape(redis));
  });

  it("a backend added on A is listed by B and takes B's traffic; removed on B, it is gone on A", async () => {
    const url = backends[1].url;
    await request(a.adminUrl).post('/api/backends').send({ url, weight: 3 }).expect(201);
    // Acknowledged means stored.
    expect((await storedShape(redis)).map((s) => s.url)).toContain(url);
    await untilPool(b, (shape) => shape.some((s) => s.url === url && s.weight === 3));

    const results = await sendMany(40, 4, () => httpRequest(b.url));
    expect(results.filter(isFailure)).toHaveLength(0);
    expect(countByBackend(results).get(backends[1].port) ?? 0).toBeGreaterThan(0);

    await request(b.adminUrl).delete('/api/backends').query({ url }).expect(200);
    expect((await storedShape(redis)).map((s) => s.url)).not.toContain(url);
    await untilPool(a, (shape) => !shape.some((s) => s.url === url));
    // Removing it again is a 404 on either replica: the store no longer has it.
    await request(a.adminUrl).delete('/api/backends').query({ url }).expect(404);
  });

  it('weight and drain set on one replica apply on the other', async () => {
    const url = backends[2].url;
    await request(b.adminUrl).post('/api/add').query({ url }).expect(201);
    await untilPool(a, (shape) => shape.some((s) => s.url === url));
    await request(a.adminUrl).patch('/api/backends').send({ url, weight: 7, state: 'draining' }).expect(200);
    const onB = await untilPool(b, (shape) =>
      shape.some((s) => s.url === url && s.weight === 7 && s.state === 'draining'),
    );
    expect(onB).toEqual(await storedShape(redis));

    // B routes nothing to the backend A drained.
    const results = await sendMany(30, 3, () => httpRequest(b.url));
    expect(results.filter(isFailure)).toHaveLength(0);
    expect(countByBackend(results).get(backends[2].port) ?? 0).toBe(0);

    await request(b.adminUrl).patch('/api/backends').send({ url, state: 'active' }).expect(200);
    await untilPool(a, (shape) => shape.some((s) => s.url === url && s.state === 'active' && s.weight === 7));
  });

  it('an algorithm switch on A applies on B', async () => {
    await request(a.adminUrl).put('/api/algorithm').send({ algorithm: 'lc' }).expect(200);
    expect(JSON.parse(await redis.cli('--raw', 'GET', 'loadex:algorithm'))).toEqual({
      name: 'leastconnection',
      options: {},
    });
    let seen = '';
    for (let i = 0; i < 200 && seen !== 'leastconnection'; i++) {
      seen = ((await request(b.adminUrl).get('/api/algorithm').expect(200)).body as { algorithm: string }).algorithm;
      if (seen !== 'leastconnection') await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toBe('leastconnection');
    await request(b.adminUrl).put('/api/algorithm').send({ algorithm: 'roundrobin' }).expect(200);
  });

  it("100 changes on each replica at once end in the same state on both, equal to Redis's", async () => {
    // Five extra URLs (nothing listens there: health is per replica, the shared state is not).
    const urls = Array.from({ length: 5 }, (_, i) => `http://127.0.0.1:${1 + i}`);
    const change = (replica: Balancer, i: number) => {
      const url = urls[i % urls.length];
      switch (i % 4) {
        case 0:
          return request(replica.adminUrl)
            .post('/api/backends')
            .send({ url, weight: 1 + (i % 9) });
        case 1:
          return request(replica.adminUrl)
            .patch('/api/backends')
            .send({ url, weight: 1 + (i % 13) });
        case 2:
          return request(replica.adminUrl)
            .patch('/api/backends')
            .send({ url, state: i % 3 ? 'draining' : 'active' });
        default:
          return request(replica.adminUrl).delete('/api/backends').query({ url });
      }
    };
    const statuses: number[] = [];
    const run = async (replica: Balancer) => {
      for (let i = 0; i < 100; i += 10) {
        const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => change(replica, i + j)));
        statuses.push(...batch.map((r) => r.status));
      }
    };
    await Promise.all([run(a), run(b)]);
    expect(statuses.every((s) => [200, 201, 404].includes(s))).toBe(true);

    const stored = await storedShape(redis);
    const same = (shape: Awaited<ReturnType<typeof sharedShape>>) => JSON.stringify(shape) === JSON.stringify(stored);
    await untilPool(a, same);
    await untilPool(b, same);
    expect(await sharedShape(a)).toEqual(await sharedShape(b));
    // Both applied the store's last version, not just an equal-looking state.
    const version = Number(await redis.cli('GET', 'loadex:version'));
    expect(version).toBeGreaterThan(0);
    for (const replica of [a, b]) {
      await waitFor(async () => (await instances(replica)).store?.version === version);
    }
  });

  it('a replica restarted with other --backends takes the shared state and does not overwrite it', async () => {
    const before = await storedShape(redis);
    await b.stop();
    b = await startReplica('replica-b', redis, [backends[1].url, backends[2].url]);
    expect(b.output()).toMatch(/--backends only seeds an empty store/);
    expect(await storedShape(redis)).toEqual(before);
    expect(await sharedShape(b)).toEqual(before);
  });
});
