import { freePort } from '../support/free-port';
import { httpRequest, type SimpleResponse, waitFor } from '../support/http';
import {
  type Balancer,
  type DemoBackend,
  runBalancerToExit,
  startBackends,
  startBalancer,
  stopAll,
} from '../support/processes';
import { poolShape } from '../support/admin-api';

/**
 * Issue 14: what a web page the operator opens can make the admin API do. Browsers send `Origin`
 * and `Sec-Fetch-Site` on cross-site POST/PUT/PATCH/DELETE, and a DNS-rebound page reaches the
 * admin API with its own name in `Host`; node:http sends whatever headers a test gives, Host too.
 */

const EVIL = 'http://evil.example';
const CROSS_SITE_JSON = { statusCode: 403, message: 'cross-site request refused' };

function send(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: object,
): Promise<SimpleResponse> {
  const all = body === undefined ? headers : { 'content-type': 'application/json', ...headers };
  return httpRequest(`${baseUrl}${path}`, {
    method,
    headers: all,
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: 10_000, // bounded: an SSE stream that is not refused never ends by itself
  });
}

/** `golb_admin_refused_total{reason}` as /metrics shows it (0 when the series is missing). */
async function refusedCount(adminUrl: string, reason: string): Promise<number> {
  const res = await send(adminUrl, 'GET', '/metrics');
  expect(res.status).toBe(200);
  const match = new RegExp(`^golb_admin_refused_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(res.body);
  return match ? Number(match[1]) : 0;
}

function json(res: SimpleResponse): unknown {
  return JSON.parse(res.body);
}

/** Every admin mutation, the lab relay included, as [name, method, path, body]. */
function mutations(pooled: DemoBackend, candidate: DemoBackend): Array<[string, string, string, object | undefined]> {
  return [
    ['POST /api/add', 'POST', `/api/add?url=${encodeURIComponent(candidate.url)}`, undefined],
    ['POST /api/backends', 'POST', '/api/backends', { url: candidate.url }],
    ['PATCH /api/backends', 'PATCH', '/api/backends', { url: pooled.url, weight: 7 }],
    ['DELETE /api/backends', 'DELETE', `/api/backends?url=${encodeURIComponent(pooled.url)}`, undefined],
    ['PUT /api/algorithm', 'PUT', '/api/algorithm', { algorithm: 'leastconnection' }],
    [
      'PUT /api/backends/control (lab relay)',
      'PUT',
      `/api/backends/control?url=${encodeURIComponent(pooled.url)}`,
      { healthy: false },
    ],
  ];
}

describe('admin API: cross-site and DNS-rebinding requests (issue 14)', () => {
  let backends: DemoBackend[];

  beforeAll(async () => {
    backends = await startBackends(2);
  });
  afterAll(stopAll);

  describe('shared port, default settings, --lab', () => {
    let balancer: Balancer;
    let otherPort: number;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backends[0].url, '--lab', '--health-interval', '1h']);
      otherPort = await freePort();
    });

    const crossSiteForms = (): Array<[string, Record<string, string>]> => [
      ['Origin and Sec-Fetch-Site: cross-site', { origin: EVIL, 'sec-fetch-site': 'cross-site' }],
      ['a foreign Origin alone (browsers without Fetch Metadata)', { origin: EVIL }],
      ['Sec-Fetch-Site: cross-site alone', { 'sec-fetch-site': 'cross-site' }],
      [
        'a page on another port of the same host (same-site)',
        { origin: `http://127.0.0.1:${otherPort}`, 'sec-fetch-site': 'same-site' },
      ],
      ['Origin: null (sandboxed frame, file://)', { origin: 'null' }],
    ];

    it.each([0, 1, 2, 3, 4, 5])(
      'refuses mutation #%i in every cross-site form: 403, exact JSON, nothing changes',
      async (i) => {
        const [name, method, path, body] = mutations(backends[0], backends[1])[i];
        const before = await poolShape(balancer.url);
        const counted = await refusedCount(balancer.url, 'cross-site');
        const forms = crossSiteForms();
        for (const [form, headers] of forms) {
          const res = await send(balancer.url, method, path, headers, body);
          expect({ name, form, status: res.status, body: json(res) }).toEqual({
            name,
            form,
            status: 403,
            body: CROSS_SITE_JSON,
          });
        }
        expect(await poolShape(balancer.url)).toEqual(before);
        expect((await backends[0].status()).healthy).toBe(true);
        expect(await refusedCount(balancer.url, 'cross-site')).toBe(counted + forms.length);
      },
    );

    it('logs a refused origin once a minute, each origin on its own', async () => {
      for (let i = 0; i < 3; i++) {
        await send(balancer.url, 'PUT', '/api/algorithm', { origin: 'http://once.example' }, { algorithm: 'lc' });
        await send(balancer.url, 'PUT', '/api/algorithm', { origin: 'http://twice.example' }, { algorithm: 'lc' });
      }
      await waitFor(() => balancer.output().includes('twice.example'));
      const lines = balancer.output().split('\n');
      expect(lines.filter((l) => l.includes('Origin \\"http://once.example\\"'))).toHaveLength(1);
      expect(lines.filter((l) => l.includes('Origin \\"http://twice.example\\"'))).toHaveLength(1);
      expect(lines.find((l) => l.includes('once.example'))).toMatch(/"level":40/);
    });

    it('accepts the same mutations from its own origin (the dashboard) and without Origin (curl, the CLI)', async () => {
      const own = { origin: balancer.url, 'sec-fetch-site': 'same-origin' };
      let res = await send(balancer.url, 'PUT', '/api/algorithm', own, { algorithm: 'leastconnection' });
      expect(res.status).toBe(200);
      res = await send(balancer.url, 'POST', '/api/backends', own, { url: backends[1].url });
      expect(res.status).toBe(201);
      res = await send(balancer.url, 'PATCH', '/api/backends', own, { url: backends[1].url, weight: 3 });
      expect(res.status).toBe(200);
      const control = `/api/backends/control?url=${encodeURIComponent(backends[1].url)}`;
      res = await send(balancer.url, 'PUT', control, own, { latencyMs: 1 });
      expect(res.status).toBe(200);
      expect((await backends[1].status()).latencyMs).toBe(1);
      res = await send(balancer.url, 'PUT', control, {}, { latencyMs: 0 });
      expect(res.status).toBe(200);
      res = await send(balancer.url, 'DELETE', `/api/backends?url=${encodeURIComponent(backends[1].url)}`, {
        'sec-fetch-site': 'none',
      });
      expect(res.status).toBe(200);
      res = await send(balancer.url, 'PUT', '/api/algorithm', {}, { algorithm: 'roundrobin' });
      expect(res.status).toBe(200);
      // localhost is its own origin too.
      const local = `localhost:${balancer.port}`;
      res = await send(
        balancer.url,
        'PUT',
        '/api/algorithm',
        { host: local, origin: `http://${local}`, 'sec-fetch-site': 'same-origin' },
        { algorithm: 'roundrobin' },
      );
      expect(res.status).toBe(200);
      expect(await poolShape(balancer.url)).toEqual({
        algorithm: 'roundrobin',
        backends: [{ url: backends[0].url, weight: 1, state: 'active' }],
      });
    });

    it.each([
      '/api/info',
      '/api/health',
      '/api/backends',
      '/metrics',
      '/dashboard',
      '/api/docs',
      '/api/docs-json',
      '/api/events',
    ])('refuses a foreign Host on the read %s: 403 naming --admin-hosts', async (path) => {
      const counted = await refusedCount(balancer.url, 'host');
      const host = `evil.example:${balancer.port}`;
      const res = await send(balancer.url, 'GET', path, { host });
      expect(res.status).toBe(403);
      expect(json(res)).toEqual({
        statusCode: 403,
        message: `host "${host}" is not one the admin API answers to: use an IP address or localhost, or start the balancer with --admin-hosts naming it`,
      });
      expect(await refusedCount(balancer.url, 'host')).toBe(counted + 1);
    });

    it('refuses a foreign Host on a mutation without any Origin (the DNS-rebinding form), nothing changes', async () => {
      const before = await poolShape(balancer.url);
      for (const [, method, path, body] of mutations(backends[0], backends[1])) {
        const res = await send(balancer.url, method, path, { host: `evil.example:${balancer.port}` }, body);
        expect([method, path, res.status]).toEqual([method, path, 403]);
        expect((json(res) as { message: string }).message).toContain('--admin-hosts');
      }
      expect(await poolShape(balancer.url)).toEqual(before);
      expect((await backends[0].status()).healthy).toBe(true);
    });

    it('leaves proxied paths alone: a backend gets whatever Host the client sent', async () => {
      const res = await send(balancer.url, 'GET', '/echo', { host: 'evil.example' });
      expect(res.status).toBe(200);
      expect((json(res) as { headers: Record<string, string> }).headers.host).toBe('evil.example');
    });

    it('answers with no X-Powered-By banner: API, metrics, dashboard, docs, errors and refusals', async () => {
      const answers = await Promise.all([
        send(balancer.url, 'GET', '/api/info'),
        send(balancer.url, 'GET', '/metrics'),
        send(balancer.url, 'GET', '/dashboard'),
        send(balancer.url, 'GET', '/dashboard/'),
        send(balancer.url, 'GET', '/api/docs-json'),
        send(balancer.url, 'GET', '/api/backends/control'),
        send(balancer.url, 'POST', '/api/backends', {}, { url: 'not a url' }),
        send(balancer.url, 'POST', '/api/backends', { origin: EVIL }, { url: backends[1].url }),
        send(balancer.url, 'GET', '/api/info', { host: 'evil.example' }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 400, 400, 403, 403]);
      for (const answer of answers) expect(answer.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('the proxy’s own 503 (no backend routable)', () => {
    it('carries no X-Powered-By', async () => {
      const dead = `http://127.0.0.1:${await freePort()}`;
      const balancer = await startBalancer(['--backends', dead, '--health-interval', '200ms']);
      let last: SimpleResponse | undefined;
      await waitFor(async () => (last = await send(balancer.url, 'GET', '/')).status === 503);
      expect(last!.body).toContain('no healthy backend');
      expect(last!.headers['x-powered-by']).toBeUndefined();
      await balancer.stop();
    });
  });

  describe('--admin-hosts lb.example', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backends[0].url, '--admin-hosts', 'lb.example']);
    });

    it('answers to Host: lb.example:PORT, reads and same-origin mutations', async () => {
      const host = `lb.example:${balancer.port}`;
      const info = await send(balancer.url, 'GET', '/api/info', { host });
      expect(info.status).toBe(200);
      expect((await send(balancer.url, 'GET', '/dashboard', { host })).status).toBe(200);
      const res = await send(
        balancer.url,
        'PUT',
        '/api/algorithm',
        { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
        { algorithm: 'leastconnection' },
      );
      expect(res.status).toBe(200);
      expect((await poolShape(balancer.url)).algorithm).toBe('leastconnection');
    });

    it('still refuses other names, and an lb.example page sending to the IP address', async () => {
      expect((await send(balancer.url, 'GET', '/api/info', { host: `other.example:${balancer.port}` })).status).toBe(
        403,
      );
      const res = await send(
        balancer.url,
        'PUT',
        '/api/algorithm',
        { origin: `http://lb.example:${balancer.port}` },
        { algorithm: 'roundrobin' },
      );
      expect([res.status, json(res)]).toEqual([403, CROSS_SITE_JSON]);
      expect((await poolShape(balancer.url)).algorithm).toBe('leastconnection');
    });
  });

  describe('--admin-port', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backends[0].url, '--admin-port', '0']);
    });

    it('refuses cross-site mutations and foreign Hosts on the admin listener; accepts its own origin', async () => {
      const before = await poolShape(balancer.adminUrl);
      const cross = await send(
        balancer.adminUrl,
        'POST',
        '/api/backends',
        { origin: EVIL, 'sec-fetch-site': 'cross-site' },
        { url: backends[1].url },
      );
      expect([cross.status, json(cross)]).toEqual([403, CROSS_SITE_JSON]);
      const adminPort = new URL(balancer.adminUrl).port;
      const rebound = await send(balancer.adminUrl, 'GET', '/api/info', { host: `evil.example:${adminPort}` });
      expect(rebound.status).toBe(403);
      expect((await send(balancer.adminUrl, 'GET', '/metrics', { host: 'evil.example' })).status).toBe(403);
      expect(await poolShape(balancer.adminUrl)).toEqual(before);
      // The dashboard's page on the admin listener is that listener's origin.
      const own = await send(
        balancer.adminUrl,
        'PUT',
        '/api/algorithm',
        { origin: balancer.adminUrl, 'sec-fetch-site': 'same-origin' },
        { algorithm: 'leastconnection' },
      );
      expect(own.status).toBe(200);
      // A page served by the proxy port is another origin.
      const fromProxyPort = await send(
        balancer.adminUrl,
        'PUT',
        '/api/algorithm',
        { origin: balancer.url, 'sec-fetch-site': 'same-site' },
        { algorithm: 'roundrobin' },
      );
      expect([fromProxyPort.status, json(fromProxyPort)]).toEqual([403, CROSS_SITE_JSON]);
      expect((await poolShape(balancer.adminUrl)).algorithm).toBe('leastconnection');
      expect(await refusedCount(balancer.adminUrl, 'cross-site')).toBe(2);
      expect(await refusedCount(balancer.adminUrl, 'host')).toBe(2);
    });

    it('the proxy port passes any Host through to the backends, admin paths included', async () => {
      const res = await send(balancer.url, 'GET', '/echo', { host: 'evil.example' });
      expect(res.status).toBe(200);
      expect((json(res) as { headers: Record<string, string> }).headers.host).toBe('evil.example');
      // /api/info on the proxy port is the backend's (a 404 from the demo backend), not refused.
      expect((await send(balancer.url, 'GET', '/api/info', { host: 'evil.example' })).status).toBe(404);
    });

    it('the demo backend sends no X-Powered-By either', async () => {
      const res = await send(backends[0].url, 'GET', '/');
      expect(res.status).toBe(200);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });

  describe('the allow-list and token refusals are counted too', () => {
    it('--admin-token: 401 counts as token; a cross-site request is refused even with the token', async () => {
      const balancer = await startBalancer(['--backends', backends[0].url, '--admin-token', 'tok']);
      const before = await poolShape(balancer.url);
      expect((await send(balancer.url, 'POST', '/api/backends', {}, { url: backends[1].url })).status).toBe(401);
      const cross = await send(
        balancer.url,
        'POST',
        '/api/backends',
        { authorization: 'Bearer tok', origin: EVIL },
        { url: backends[1].url },
      );
      expect([cross.status, json(cross)]).toEqual([403, CROSS_SITE_JSON]);
      expect(await poolShape(balancer.url)).toEqual(before);
      expect(await refusedCount(balancer.url, 'token')).toBe(1);
      expect(await refusedCount(balancer.url, 'cross-site')).toBe(1);
      await balancer.stop();
    });

    it('--admin-allow 127.0.0.2/32: a 403 from 127.0.0.1 counts as not-allowed', async () => {
      const balancer = await startBalancer(['--backends', backends[0].url, '--admin-allow', '127.0.0.2/32']);
      expect(await refusedCount(balancer.url, 'not-allowed')).toBe(0);
      expect((await send(balancer.url, 'PUT', '/api/algorithm', {}, { algorithm: 'lc' })).status).toBe(403);
      expect(await refusedCount(balancer.url, 'not-allowed')).toBe(1);
      await balancer.stop();
    });
  });

  describe('bad --admin-hosts', () => {
    it.each([
      [['--admin-hosts', 'lb.example:8080'], {}, 'lb.example:8080'],
      [[], { LOADEX_ADMIN_HOSTS: 'ok.example,bad name' }, 'bad name'],
    ])('%j %j: exit 2 with one line naming the value', async (args, env, value) => {
      const { code, output } = await runBalancerToExit(
        ['--port', '0', '--host', '127.0.0.1', '--backends', backends[0].url, ...args],
        env,
      );
      expect(code).toBe(2);
      expect(output).toBe(
        `loadbalancer: invalid --admin-hosts "${value}": expected host names without port, like lb.example,.internal.example\n`,
      );
    });
  });
});
