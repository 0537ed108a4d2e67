import { Agent } from 'node:http';
import request from 'supertest';
import type { PoolChangeMessage, StatsHistoryMessage, StatsSnapshot } from '@loadex/api';
import { httpRequest, isFailure, sendMany } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { type AdminStreamEvent, EventStreamClient, historyWhen } from '../support/event-stream';

type StatsEvent = { type: 'stats'; data: StatsSnapshot };
type PoolEvent = { type: 'pool'; data: PoolChangeMessage };
type HistoryEvent = { type: 'history'; data: StatsHistoryMessage };
const isStats = (e: AdminStreamEvent): e is StatsEvent => e.type === 'stats';
const isPool =
  (test: (m: PoolChangeMessage) => boolean) =>
  (e: AdminStreamEvent): e is PoolEvent =>
    e.type === 'pool' && test(e.data);

describe('GET /api/events (SSE)', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let client: EventStreamClient;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends[0].url, '--health-interval', '200ms']);
    client = await EventStreamClient.connect(balancer.url);
  });
  afterAll(async () => {
    client.close();
    await stopAll();
  });

  it('is an event stream that starts with the recent history, then a stats snapshot', async () => {
    expect(client.headers['content-type']).toMatch(/^text\/event-stream/);
    const first = await client.next(() => true);
    expect(first.type).toBe('history');
    expect(Array.isArray((first as HistoryEvent).data.points)).toBe(true);
    const second = await client.next(() => true);
    expect(second.type).toBe('stats');
    const stats = (second as StatsEvent).data;
    expect(stats.backends.map((b) => b.url)).toEqual([backends[0].url]);
    expect(stats.algorithm).toBe('roundrobin');
  });

  it('sends the add and the health transition of a backend', async () => {
    const url = backends[1].url;
    await request(balancer.url).post('/api/backends').send({ url, weight: 2 }).expect(201);
    const added = await client.next(isPool((m) => m.type === 'added' && m.backend.url === url));
    expect(added.data).toMatchObject({ type: 'added', backend: { url, weight: 2, state: 'active' } });

    await backends[1].control({ healthy: false });
    const down = await client.next(isPool((m) => m.type === 'health' && m.backend.url === url));
    expect(down.data).toMatchObject({ type: 'health', healthy: false, backend: { url, healthy: false } });
    expect((down.data as { reason: string }).reason).toMatch(/failed check/);

    await backends[1].control({ healthy: true });
    const up = await client.next(isPool((m) => m.type === 'health' && m.backend.url === url));
    expect(up.data).toMatchObject({ type: 'health', healthy: true });
  });

  it('sends weight, drain, removal and algorithm changes', async () => {
    const url = backends[1].url;
    await request(balancer.url).patch('/api/backends').send({ url, weight: 4, state: 'draining' }).expect(200);
    expect((await client.next(isPool((m) => m.type === 'weight'))).data).toMatchObject({ weight: 4 });
    expect((await client.next(isPool((m) => m.type === 'state'))).data).toMatchObject({ state: 'draining' });
    await request(balancer.url).delete('/api/backends').query({ url }).expect(200);
    expect((await client.next(isPool((m) => m.type === 'removed'))).data).toMatchObject({ backend: { url } });
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'lc' }).expect(200);
    expect((await client.next(isPool((m) => m.type === 'algorithm'))).data).toEqual({
      type: 'algorithm',
      algorithm: 'leastconnection',
    });
  });

  it('sends a stats snapshot every second that follows real traffic', async () => {
    const agent = new Agent({ keepAlive: true });
    const results = await sendMany(25, 5, () => httpRequest(`${balancer.url}/`, { agent }));
    agent.destroy();
    expect(results.every((r) => !isFailure(r) && r.status === 200)).toBe(true);
    const withTraffic = await client.next(
      (e): e is StatsEvent => isStats(e) && e.data.totals.requests >= 25 && e.data.algorithm === 'leastconnection',
    );
    expect(withTraffic.data.totals.rps).toBeGreaterThan(0);
    expect(withTraffic.data.backends[0]).toMatchObject({ url: backends[0].url });
    expect(withTraffic.data.backends[0].requests).toBeGreaterThanOrEqual(25);
    const next = await client.next(isStats);
    const after = await client.next(isStats);
    expect(Date.parse(next.data.at)).toBeGreaterThan(Date.parse(withTraffic.data.at));
    expect(Date.parse(after.data.at)).toBeGreaterThan(Date.parse(next.data.at));
  });

  it('a new stream starts with one point a second of the recent past, traffic included', async () => {
    const agent = new Agent({ keepAlive: true });
    const results = await sendMany(30, 5, () => httpRequest(`${balancer.url}/`, { agent }));
    agent.destroy();
    expect(results.every((r) => !isFailure(r) && r.status === 200)).toBe(true);
    // Wait (bounded) until the history holds two points taken after that traffic.
    const sentBy = Date.now();
    const after = (history: StatsHistoryMessage) => history.points.filter((p) => Date.parse(p.at) > sentBy);
    const { points } = await historyWhen(balancer.url, (history) => after(history).length >= 2);
    expect(after({ points }).length).toBeGreaterThanOrEqual(2);
    const times = points.map((p) => Date.parse(p.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    const last = points[points.length - 1];
    expect(last.backends.map((b) => b.url)).toEqual([backends[0].url]);
    expect(last.backends[0].requests).toBeGreaterThanOrEqual(30 + 25);
    expect(last.totals.requests).toBeGreaterThanOrEqual(30 + 25);
    expect(last.totals.latency.p50).toEqual(expect.any(Number));
    // Counts only grow from point to point.
    for (let i = 1; i < points.length; i++) {
      expect(points[i].totals.requests).toBeGreaterThanOrEqual(points[i - 1].totals.requests);
    }
  });

  it('an open stream does not hold up shutdown: it ends and the process exits 0', async () => {
    const second = await EventStreamClient.connect(balancer.url);
    await second.next(isStats);
    expect(await balancer.stop('SIGTERM')).toBe(0);
    await expect(second.next(() => false, 5000)).rejects.toThrow(/ended/);
    expect(second.ended).toBe(true);
  });
});
