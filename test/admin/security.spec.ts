import { request as httpRequestRaw } from 'node:http';
import request from 'supertest';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { poolShape } from '../support/admin-api';

/** A POST /api/backends sent from a chosen local address (127.0.0.2 is loopback on Linux too). */
function postFrom(localAddress: string, baseUrl: string, body: object): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequestRaw(
      `${baseUrl}/api/backends`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('admin security', () => {
  let backends: DemoBackend[];

  beforeAll(async () => {
    backends = await startBackends(2);
  });
  afterAll(stopAll);

  describe('--admin-allow 127.0.0.2/32', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backends[0].url, '--admin-allow', '127.0.0.2/32']);
    });

    it('refuses mutations from 127.0.0.1 with 403, the pool unchanged; reads stay open', async () => {
      const before = await poolShape(balancer.url);
      const res = await request(balancer.url).post('/api/backends').send({ url: backends[1].url }).expect(403);
      expect(res.body).toEqual({
        statusCode: 403,
        message: 'admin changes are not accepted from 127.0.0.1 (see --admin-allow, or set --admin-token)',
        error: 'Forbidden',
      });
      await request(balancer.url).put('/api/algorithm').send({ algorithm: 'lc' }).expect(403);
      await request(balancer.url).delete('/api/backends').query({ url: backends[0].url }).expect(403);
      await request(balancer.url)
        .post(`/api/add?url=${encodeURIComponent(backends[1].url)}`)
        .expect(403);
      expect(await poolShape(balancer.url)).toEqual(before);
      await request(balancer.url).get('/api/backends').expect(200);
      await request(balancer.url).get('/api/stats').expect(200);
    });

    it('accepts the same mutation from 127.0.0.2', async () => {
      const res = await postFrom('127.0.0.2', balancer.url, { url: backends[1].url });
      expect(res.status).toBe(201);
      expect((await poolShape(balancer.url)).backends.map((b) => b.url)).toContain(backends[1].url);
    });
  });

  describe('--admin-token (from LOADEX_ADMIN_TOKEN)', () => {
    const token = 's3cret-token-for-tests';
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backends[0].url], { LOADEX_ADMIN_TOKEN: token });
    });

    it.each([
      ['no Authorization header', undefined],
      ['a wrong token of the same length', `Bearer ${'x'.repeat(token.length)}`],
      ['a wrong token of another length', 'Bearer nope'],
      ['the token with another scheme', `Basic ${token}`],
      ['the token without a scheme', token],
      ['an empty bearer', 'Bearer '],
    ])('401 with %s, the pool unchanged', async (_name, authorization) => {
      const before = await poolShape(balancer.url);
      const req = request(balancer.url).post('/api/backends').send({ url: backends[1].url });
      if (authorization !== undefined) req.set('Authorization', authorization);
      const res = await req.expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        message: 'missing or wrong admin token: send Authorization: Bearer <token>',
        error: 'Unauthorized',
      });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(await poolShape(balancer.url)).toEqual(before);
    });

    it('200/201 with the right token; reads need none', async () => {
      await request(balancer.url).get('/api/backends').expect(200);
      await request(balancer.url).get('/api/info').expect(200);
      await request(balancer.url)
        .post('/api/backends')
        .set('Authorization', `Bearer ${token}`)
        .send({ url: backends[1].url })
        .expect(201);
      await request(balancer.url)
        .put('/api/algorithm')
        .set('Authorization', `bearer ${token}`)
        .send({ algorithm: 'lc' })
        .expect(200);
      expect((await poolShape(balancer.url)).algorithm).toBe('leastconnection');
    });
  });

  describe('--admin-token with --admin-allow 127.0.0.2/32 (DESIGN.md: a presented token opens the admin API)', () => {
    const token = 'remote-operator-token';
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer([
        '--backends',
        backends[0].url,
        '--admin-allow',
        '127.0.0.2/32',
        '--admin-token',
        token,
      ]);
    });

    it('401 without the token from outside the allow-list, the pool unchanged', async () => {
      const before = await poolShape(balancer.url);
      await request(balancer.url).post('/api/backends').send({ url: backends[1].url }).expect(401);
      expect(await poolShape(balancer.url)).toEqual(before);
    });

    it('accepts a mutation from outside the allow-list that presents the token', async () => {
      await request(balancer.url)
        .post('/api/backends')
        .set('Authorization', `Bearer ${token}`)
        .send({ url: backends[1].url })
        .expect(201);
      expect((await poolShape(balancer.url)).backends.map((b) => b.url)).toContain(backends[1].url);
    });
  });

  describe('--admin-token with --admin-protect-reads', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer([
        '--backends',
        backends[0].url,
        '--admin-token',
        'read-token',
        '--admin-protect-reads',
      ]);
    });

    it('reads need the token too', async () => {
      await request(balancer.url).get('/api/backends').expect(401);
      await request(balancer.url).get('/api/stats').expect(401);
      await request(balancer.url).get('/api/backends').set('Authorization', 'Bearer read-token').expect(200);
    });
  });

  describe('--admin-port', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backends[0].url, '--admin-port', '0']);
    });

    it('serves the admin API on its own listener', async () => {
      expect(balancer.adminUrl).not.toBe(balancer.url);
      const res = await request(balancer.adminUrl).get('/api/health').expect(200);
      expect(res.body).toEqual({ [backends[0].url]: true });
      await request(balancer.adminUrl).get('/api/docs-json').expect(200);
    });

    it('the proxy port forwards /api/... (admin paths included) to a backend', async () => {
      const health = await request(balancer.url).get('/api/health');
      expect(health.status).toBe(404);
      expect(health.text).toContain('Cannot GET /api/health');
      const post = await request(balancer.url).post('/api/backends').send({ url: backends[1].url });
      expect(post.status).toBe(404);
      expect(post.text).toContain('Cannot POST /api/backends');
      expect((await poolShape(balancer.adminUrl)).backends.map((b) => b.url)).toEqual([backends[0].url]);
      const views = (await request(balancer.adminUrl).get('/api/backends').expect(200)).body as Array<{
        totalRequests: number;
      }>;
      expect(views[0].totalRequests).toBe(2);
    });
  });
});
