import { Agent } from 'node:http';
import request from 'supertest';
import { ALGORITHM_NAMES } from '@loadex/algorithms';
import type { AlgorithmView, BackendView, InfoView, StatsSnapshot } from '@loadex/api';
import { version } from '../../package.json';
import { httpRequest, isFailure, sendMany } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { backendViews } from '../support/admin-api';

const BACKEND_VIEW_KEYS = [
  'activeRequests',
  'effectiveWeight',
  'failures',
  'healthy',
  'lastCheckAt',
  'lastCheckMs',
  'outlier',
  'state',
  'totalRequests',
  'url',
  'weight',
];

describe('admin routes: every route, happy path', () => {
  let backends: DemoBackend[];
  let spare: DemoBackend[];
  let balancer: Balancer;

  beforeAll(async () => {
    [backends, spare] = await Promise.all([startBackends(2), startBackends(2)]);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--health-interval', '300ms']);
  });
  afterAll(stopAll);

  it('GET /api/health keeps the original shape {"<url>": bool}', async () => {
    const res = await request(balancer.url).get('/api/health').expect(200);
    expect(res.body).toEqual({ [backends[0].url]: true, [backends[1].url]: true });
  });

  it('GET /api/info reports algorithm, version, uptime and the number of backends', async () => {
    const res = await request(balancer.url).get('/api/info').expect(200);
    const info = res.body as InfoView;
    expect(info).toEqual({ algorithm: 'roundrobin', version, uptimeSeconds: expect.any(Number), backends: 2 });
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('GET /api/backends lists every backend in the BackendView shape', async () => {
    await request(balancer.url)
      .get('/api/backends')
      .expect(200)
      .expect((res) => {
        const list = res.body as BackendView[];
        expect(list.map((b) => b.url)).toEqual(backends.map((b) => b.url));
        for (const view of list) {
          expect(Object.keys(view).sort()).toEqual(BACKEND_VIEW_KEYS);
          expect(view).toMatchObject({ weight: 1, healthy: true, state: 'active', activeRequests: 0 });
        }
      });
  });

  it('POST /api/add?url=&weight= adds (201), and again is idempotent (200)', async () => {
    const url = spare[0].url;
    const first = await request(balancer.url)
      .post(`/api/add?url=${encodeURIComponent(url)}&weight=2`)
      .expect(201);
    expect(first.body).toMatchObject({ url, weight: 2, state: 'active' });
    const again = await request(balancer.url)
      .post(`/api/add?url=${encodeURIComponent(url)}&weight=2`)
      .expect(200);
    expect(again.body).toMatchObject({ url, weight: 2 });
    const views = await backendViews(balancer.url);
    expect(views.filter((b) => b.url === url)).toHaveLength(1);
  });

  it('POST /api/backends adds (201); adding it again is 200 and applies the weight', async () => {
    const url = spare[1].url;
    const created = await request(balancer.url)
      .post('/api/backends')
      .send({ url: `${url}/` })
      .expect(201);
    expect(created.body).toMatchObject({ url, weight: 1, state: 'active' });
    expect(Object.keys(created.body as object).sort()).toEqual(BACKEND_VIEW_KEYS);
    const again = await request(balancer.url).post('/api/backends').send({ url, weight: 4 }).expect(200);
    expect(again.body).toMatchObject({ url, weight: 4 });
    expect((await backendViews(balancer.url)).find((b) => b.url === url)?.weight).toBe(4);
  });

  it('PATCH /api/backends changes weight and drain state', async () => {
    const url = spare[1].url;
    await request(balancer.url)
      .patch('/api/backends')
      .send({ url, weight: 7 })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ url, weight: 7, state: 'active' }));
    await request(balancer.url)
      .patch('/api/backends')
      .send({ url, state: 'draining' })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ url, weight: 7, state: 'draining' }));
    expect((await backendViews(balancer.url)).find((b) => b.url === url)?.state).toBe('draining');
    await request(balancer.url)
      .patch('/api/backends')
      .send({ url, state: 'active', weight: 3 })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ url, weight: 3, state: 'active' }));
  });

  it('DELETE /api/backends?url= removes (200 with the removed backend), then 404', async () => {
    const url = spare[1].url;
    const removed = await request(balancer.url).delete('/api/backends').query({ url }).expect(200);
    expect(removed.body).toMatchObject({ url });
    expect((await backendViews(balancer.url)).map((b) => b.url)).not.toContain(url);
    const again = await request(balancer.url).delete('/api/backends').query({ url }).expect(404);
    expect(again.body).toEqual({ statusCode: 404, message: `url: no backend ${url} in the pool`, error: 'Not Found' });
    await request(balancer.url).patch('/api/backends').send({ url, weight: 2 }).expect(404);
  });

  it('GET and PUT /api/algorithm switch at runtime (names and aliases)', async () => {
    const initial = (await request(balancer.url).get('/api/algorithm').expect(200)).body as AlgorithmView;
    expect(initial).toEqual({
      algorithm: 'roundrobin',
      options: {},
      available: [...ALGORITHM_NAMES],
    });
    const set = await request(balancer.url).put('/api/algorithm').send({ algorithm: 'WRR' }).expect(200);
    expect((set.body as AlgorithmView).algorithm).toBe('weightedroundrobin');
    expect(((await request(balancer.url).get('/api/algorithm')).body as AlgorithmView).algorithm).toBe(
      'weightedroundrobin',
    );
    expect(((await request(balancer.url).get('/api/info')).body as InfoView).algorithm).toBe('weightedroundrobin');
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'roundrobin' }).expect(200);
  });

  it('GET /api/stats counts real traffic: requests, errors, in-flight, rps and latency percentiles', async () => {
    // Only the two original backends, one of them failing every request.
    await request(balancer.url).delete('/api/backends').query({ url: spare[0].url }).expect(200);
    await backends[1].control({ failRate: 1 });
    const before = (await request(balancer.url).get('/api/stats').expect(200)).body as StatsSnapshot;
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const results = await sendMany(40, 4, () => httpRequest(`${balancer.url}/`, { agent }));
    agent.destroy();
    await backends[1].control({ failRate: 0 });
    const failed = results.filter((r) => !isFailure(r) && r.status === 500).length;
    expect(results.every((r) => !isFailure(r) && (r.status === 200 || r.status === 500))).toBe(true);
    expect(failed).toBeGreaterThan(0);

    const after = (await request(balancer.url).get('/api/stats').expect(200)).body as StatsSnapshot;
    expect(after.totals.requests - before.totals.requests).toBe(40);
    expect(after.totals.errors - before.totals.errors).toBe(failed);
    expect(after.totals.activeRequests).toBe(0);
    expect(after.totals.rps).toBeGreaterThan(0);
    const { p50, p95, p99 } = after.totals.latency;
    expect(p50).not.toBeNull();
    expect(p50!).toBeLessThanOrEqual(p95!);
    expect(p95!).toBeLessThanOrEqual(p99!);

    const [ok, failing] = backends.map((b) => after.backends.find((s) => s.url === b.url)!);
    const beforeOf = (url: string) => before.backends.find((s) => s.url === url)!;
    expect(ok.requests - beforeOf(ok.url).requests + failing.requests - beforeOf(failing.url).requests).toBe(40);
    expect(failing.errors - beforeOf(failing.url).errors).toBe(failed);
    expect(ok.errors).toBe(beforeOf(ok.url).errors);
    expect(ok.rps).toBeGreaterThan(0);
    expect(ok.latency.p50).not.toBeNull();
    const views = await backendViews(balancer.url);
    expect(views.find((v) => v.url === ok.url)?.totalRequests).toBe(ok.requests);
    expect(after.algorithm).toBe('roundrobin');
    expect(Date.parse(after.at)).not.toBeNaN();
  });

  it('serves the OpenAPI document (from the zod schemas) at /api/docs-json and the UI at /api/docs', async () => {
    const doc = (await request(balancer.url).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ name: string }> }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'get /api/health',
        'post /api/add',
        'get /api/info',
        'get /api/backends',
        'post /api/backends',
        'patch /api/backends',
        'delete /api/backends',
        'get /api/algorithm',
        'put /api/algorithm',
        'get /api/algorithms',
        'get /api/stats',
        'get /api/events',
      ]),
    );
    expect(doc.components.schemas.AddBackendRequest.required).toEqual(['url']);
    expect(Object.keys(doc.components.schemas.UpdateBackendRequest.properties ?? {})).toEqual([
      'url',
      'weight',
      'state',
    ]);
    expect(Object.keys(doc.components.schemas.BackendView.properties ?? {}).sort()).toEqual(BACKEND_VIEW_KEYS);
    expect(doc.components.schemas.StatsSnapshot).toBeDefined();
    expect(JSON.stringify(doc.paths['/api/backends'].post.requestBody)).toContain('AddBackendRequest');
    expect(doc.paths['/api/add'].post.parameters?.map((p) => p.name)).toEqual(['url', 'weight']);

    const ui = await request(balancer.url).get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
    await request(balancer.url).get('/api/docs/swagger-ui-init.js').expect(200);
  });

  it('admin responses carry helmet headers and no CORS headers', async () => {
    const res = await request(balancer.url).get('/api/backends').set('Origin', 'http://evil.example').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(balancer.url)
      .options('/api/backends')
      .set('Origin', 'http://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('other /api/... paths are not admin routes: they go to a backend', async () => {
    const forwarded = async () => (await backendViews(balancer.url)).reduce((n, v) => n + v.totalRequests, 0);
    const before = await forwarded();
    const res = await request(balancer.url).get('/api/not-an-admin-route');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Cannot GET /api/not-an-admin-route');
    expect(await forwarded()).toBe(before + 1);
  });
});
