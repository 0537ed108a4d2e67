import request from 'supertest';
import { keepAliveAgent } from '../support/core-traffic';
import { freePort } from '../support/free-port';
import { httpRequest, isFailure, type SimpleResponse, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, runBalancerToExit, startBackends, stopAll } from '../support/processes';
import { RedisServer } from './support/redis-server';
import { instances, sharedShape, startReplica, storedShape, untilPool } from './support/replica-cluster';

async function storeUp(replica: Balancer): Promise<number> {
  const text = (await request(replica.adminUrl).get('/metrics').expect(200)).text;
  const match = text.match(/^golb_store_up (\d)/m);
  return match ? Number(match[1]) : -1;
}

/**
 * Client traffic through both replicas, alternating, until stopped (and at most 20 000 requests):
 * what must keep flowing whatever happens to the store.
 */
function steadyLoad(replicas: Balancer[]) {
  const agent = keepAliveAgent(8);
  const results: Array<SimpleResponse | Error> = [];
  let stopped = false;
  const worker = async (w: number) => {
    for (let i = w; !stopped && results.length < 20_000; i += 4) {
      try {
        results.push(await httpRequest(replicas[i % replicas.length].url, { agent, timeoutMs: 10_000 }));
      } catch (err) {
        results.push(err as Error);
      }
    }
  };
  const done = Promise.all([0, 1, 2, 3].map(worker));
  return {
    results,
    async stop() {
      stopped = true;
      await done;
      agent.destroy();
      return results;
    },
  };
}

describe('the store fails while replicas serve', () => {
  let redis: RedisServer;
  let backends: DemoBackend[];
  let a: Balancer;
  let b: Balancer;

  beforeAll(async () => {
    redis = await RedisServer.start();
    backends = await startBackends(3);
    a = await startReplica('fault-a', redis, [backends[0].url, backends[1].url]);
    b = await startReplica('fault-b', redis, []);
    await untilPool(b, (shape) => shape.length === 2);
  });

  afterAll(async () => {
    await stopAll();
    await redis.kill();
  });

  it('stopped, then killed and restarted empty: no request fails, changes get 503 and change nothing, both resync', async () => {
    const load = steadyLoad([a, b]);
    const before = await storedShape(redis);
    expect(await sharedShape(a)).toEqual(before);
    expect(await storeUp(a)).toBe(1);

    // Paused: connected but silent.
    redis.pause();
    const refused = await request(a.adminUrl).post('/api/backends').send({ url: backends[2].url });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ statusCode: 503, message: expect.stringMatching(/^store unavailable: /) });
    await waitFor(async () => (await storeUp(b)) === 0);
    const alsoRefused = await request(b.adminUrl).patch('/api/backends').send({ url: backends[0].url, weight: 9 });
    expect(alsoRefused.status).toBe(503);
    expect(await sharedShape(a)).toEqual(before);
    expect(await sharedShape(b)).toEqual(before);

    // Resumed: Redis now runs what waited in its socket; the scripts refuse the late changes.
    redis.resume();
    await waitFor(async () => (await storeUp(a)) === 1 && (await storeUp(b)) === 1);
    expect(await storedShape(redis)).toEqual(before);
    expect(await sharedShape(a)).toEqual(before);
    expect(await sharedShape(b)).toEqual(before);
    await request(b.adminUrl).patch('/api/backends').send({ url: backends[1].url, weight: 4 }).expect(200);
    const changed = await untilPool(a, (shape) => shape.some((s) => s.url === backends[1].url && s.weight === 4));

    // Killed: not connected at all.
    await redis.kill();
    await waitFor(async () => (await storeUp(a)) === 0 && (await storeUp(b)) === 0);
    const down = await request(b.adminUrl).delete('/api/backends').query({ url: backends[0].url });
    expect(down.status).toBe(503);
    expect(down.body.message).toMatch(/^store unavailable: not connected to redis:\/\/127\.0\.0\.1:\d+\/0/);
    expect(await sharedShape(b)).toEqual(changed);
    // The others' views are unknown meanwhile: B lists itself only, and says the store is down.
    const alone = await instances(b);
    expect(alone.store).toMatchObject({ up: false });
    expect(alone.instances.map((i) => [i.instance, i.self])).toEqual([['fault-b', true]]);

    // Back, empty (no persistence): the replicas put their last state back and carry on.
    await redis.restart();
    await waitFor(async () => (await storeUp(a)) === 1 && (await storeUp(b)) === 1);
    await waitFor(async () => JSON.stringify(await storedShape(redis)) === JSON.stringify(changed));
    await request(a.adminUrl).post('/api/backends').send({ url: backends[2].url }).expect(201);
    await untilPool(b, (shape) => shape.some((s) => s.url === backends[2].url));
    expect(await sharedShape(a)).toEqual(await storedShape(redis));

    const results = await load.stop();
    expect(results.length).toBeGreaterThan(100);
    expect(results.filter(isFailure)).toEqual([]);
    expect(results.filter((r) => !isFailure(r) && r.status !== 200)).toEqual([]);
  });

  it('a replica that is SIGKILLed leaves /api/instances; the survivor keeps serving', async () => {
    const c = await startReplica('fault-c', redis, []);
    await waitFor(async () => (await instances(a)).instances.some((i) => i.instance === 'fault-c'));
    expect((await instances(c)).instances.find((i) => i.self)?.instance).toBe('fault-c');
    await c.stop('SIGKILL');
    await waitFor(async () => !(await instances(a)).instances.some((i) => i.instance === 'fault-c'), 20_000, 200);
    expect((await instances(b)).instances.map((i) => i.instance)).toEqual(['fault-a', 'fault-b']);
    const served = await httpRequest(a.url);
    expect(served.status).toBe(200);
  });
});

describe('--store at start', () => {
  afterAll(stopAll);

  it('exits 2 naming the store when it is unreachable', async () => {
    const port = await freePort();
    const { code, output } = await runBalancerToExit([
      '--port',
      '0',
      '--backends',
      'http://127.0.0.1:9',
      '--store',
      `redis://:s3cret@127.0.0.1:${port}/0`,
    ]);
    expect(code).toBe(2);
    expect(output).toContain(`cannot reach --store redis://:***@127.0.0.1:${port}/0`);
    expect(output).not.toContain('s3cret');
  });

  it("takes the password from the URL; a wrong one exits 2 with Redis's reason, the password masked", async () => {
    const redis = await RedisServer.start('s3cret-pw');
    try {
      const wrong = redis.url.replace('s3cret-pw', 'nope');
      const refused = await runBalancerToExit(['--port', '0', '--backends', 'http://127.0.0.1:9', '--store', wrong]);
      expect(refused.code).toBe(2);
      expect(refused.output).toContain(`cannot reach --store redis://:***@127.0.0.1:${redis.port}/0: WRONGPASS`);
      expect(refused.output).not.toMatch(/nope|s3cret-pw/);

      const [backend] = await startBackends(1);
      const replica = await startReplica('password-a', redis, [backend.url]);
      expect(replica.output()).not.toContain('s3cret-pw');
      expect(await storedShape(redis)).toEqual([{ url: backend.url, weight: 1, state: 'active' }]);
      expect((await instances(replica)).store?.url).toBe(`redis://:***@127.0.0.1:${redis.port}/0`);
    } finally {
      await redis.kill();
    }
  });

  it('with --store-optional starts from --backends, then takes the store when it comes', async () => {
    const [backend] = await startBackends(1);
    const redisPort = await freePort();
    const replica = await startReplica(
      'optional-a',
      { url: `redis://127.0.0.1:${redisPort}/0` } as RedisServer,
      [backend.url],
      ['--store-optional'],
    );
    expect(replica.output()).toMatch(/unreachable at start .*serving --backends, retrying/);
    expect((await sharedShape(replica)).map((s) => s.url)).toEqual([backend.url]);
    expect((await httpRequest(replica.url)).status).toBe(200);
    await request(replica.adminUrl).post('/api/backends').send({ url: 'http://127.0.0.1:7' }).expect(503);

    const redis = await RedisServer.startOn(redisPort);
    try {
      await waitFor(async () => (await storeUp(replica)) === 1);
      await waitFor(async () => (await storedShape(redis)).length === 1);
      expect(await storedShape(redis)).toEqual([{ url: backend.url, weight: 1, state: 'active' }]);
      await request(replica.adminUrl).post('/api/backends').send({ url: 'http://127.0.0.1:7' }).expect(201);
    } finally {
      await redis.kill();
    }
  });

  it.each([
    [['--state-file', '/tmp/loadex-state.json'], /--state-file and --store are exclusive/],
    [[], /invalid --store "http:\/\/127\.0\.0\.1:6379": expected a redis:\/\/ or rediss:\/\/ URL/],
  ])('refuses %j with exit 2', async (extra, message) => {
    const store = extra.length ? 'redis://127.0.0.1:6379/0' : 'http://127.0.0.1:6379';
    const { code, output } = await runBalancerToExit(['--backends', 'http://127.0.0.1:9', '--store', store, ...extra]);
    expect(code).toBe(2);
    expect(output).toMatch(message);
  });
});
