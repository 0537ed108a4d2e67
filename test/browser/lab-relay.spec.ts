import { httpRequest, type SimpleResponse } from '../support/http';
import { type Balancer, type DemoBackend, startBackend, startBalancer, stopAll } from '../support/processes';

/** The lab relay (`GET|PUT /api/backends/control?url=`) over plain HTTP: who may use it, and what. */
describe('lab relay /api/backends/control', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startBackend();
  });

  afterAll(stopAll);

  function control(
    balancer: Balancer,
    url: string | null,
    options: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<SimpleResponse> {
    const query = url === null ? '' : `?url=${encodeURIComponent(url)}`;
    return httpRequest(`${balancer.adminUrl}/api/backends/control${query}`, {
      method: options.method ?? 'GET',
      body: options.body,
      headers: { 'content-type': 'application/json', ...options.headers },
    });
  }

  function message(res: SimpleResponse): string {
    return (JSON.parse(res.body) as { message: string }).message;
  }

  describe('without --lab', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backend.url]);
    });
    afterAll(() => balancer.stop());

    it('answers 404 and relays nothing', async () => {
      const before = await backend.status();
      const read = await control(balancer, backend.url);
      const write = await control(balancer, backend.url, { method: 'PUT', body: '{"healthy":false}' });
      expect([read.status, write.status]).toEqual([404, 404]);
      expect(message(write)).toMatch(/lab mode is off/);
      expect(await backend.status()).toEqual(before);
    });
  });

  describe('with --lab', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backend.url, '--lab']);
    });
    afterAll(() => balancer.stop());

    it('GET reads a registered backend’s switches; PUT changes them', async () => {
      const read = await control(balancer, backend.url);
      expect(read.status).toBe(200);
      expect(JSON.parse(read.body)).toMatchObject({ url: backend.url, healthy: true, latencyMs: 0, failRate: 0 });

      const write = await control(balancer, `${backend.url}/`, {
        method: 'PUT',
        body: JSON.stringify({ latencyMs: 5, failRate: 0.25 }),
      });
      expect(write.status).toBe(200);
      expect(JSON.parse(write.body)).toMatchObject({ url: backend.url, latencyMs: 5, failRate: 0.25 });
      expect(await backend.status()).toMatchObject({ latencyMs: 5, failRate: 0.25 });
      await backend.control({ latencyMs: 0, failRate: 0 });
    });

    it.each([
      ['no url', null, '{"healthy":false}', 400, /^url: /],
      ['an ftp url', 'ftp://127.0.0.1:21', '{"healthy":false}', 400, /^url: .*http: or https:/],
      ['a url with a path', 'http://127.0.0.1:1/control', '{"healthy":false}', 400, /^url: /],
      ['an unregistered backend', 'http://127.0.0.1:1', '{"healthy":false}', 404, /not a registered backend/],
      ['an empty body', 'BACKEND', '{}', 400, /at least one of healthy, latencyMs, failRate/],
      ['a non-boolean healthy', 'BACKEND', '{"healthy":"no"}', 400, /^healthy: /],
      ['a negative latency', 'BACKEND', '{"latencyMs":-1}', 400, /^latencyMs: /],
      ['a fractional latency', 'BACKEND', '{"latencyMs":1.5}', 400, /^latencyMs: /],
      ['a failure rate above 1', 'BACKEND', '{"failRate":2}', 400, /^failRate: /],
      ['an unknown field', 'BACKEND', '{"served":0}', 400, /unknown field "served"/],
      ['malformed JSON', 'BACKEND', '{"healthy":', 400, /^body: malformed JSON/],
      ['an oversize body', 'BACKEND', JSON.stringify({ healthy: false, pad: 'x'.repeat(17 * 1024) }), 413, /^body: /],
    ])('PUT with %s → %i, nothing relayed', async (_name, url, body, status, pattern) => {
      const before = await backend.status();
      const res = await control(balancer, url === 'BACKEND' ? backend.url : url, { method: 'PUT', body });
      expect(res.status).toBe(status);
      expect(message(res)).toMatch(pattern);
      expect(await backend.status()).toEqual(before);
    });

    it('502 when the registered backend does not answer', async () => {
      const gone = await startBackend();
      await httpRequest(`${balancer.adminUrl}/api/backends`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: gone.url }),
      });
      await gone.stop();
      const res = await control(balancer, gone.url, { method: 'PUT', body: '{"healthy":false}' });
      expect(res.status).toBe(502);
      expect(message(res)).toContain(`${gone.url}/control did not answer`);
    });
  });

  describe('with --lab and --admin-token', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backend.url, '--lab', '--admin-token', 'lab-secret']);
    });
    afterAll(() => balancer.stop());

    it('PUT needs the token (401 without or wrong, 200 with it); GET is a read like the API’s', async () => {
      const body = '{"latencyMs":7}';
      const none = await control(balancer, backend.url, { method: 'PUT', body });
      const wrong = await control(balancer, backend.url, {
        method: 'PUT',
        body,
        headers: { authorization: 'Bearer nope' },
      });
      expect([none.status, wrong.status]).toEqual([401, 401]);
      expect((await backend.status()).latencyMs).toBe(0);

      const right = await control(balancer, backend.url, {
        method: 'PUT',
        body,
        headers: { authorization: 'Bearer lab-secret' },
      });
      expect(right.status).toBe(200);
      expect((await backend.status()).latencyMs).toBe(7);
      expect((await control(balancer, backend.url)).status).toBe(200);
      await backend.control({ latencyMs: 0 });
    });
  });

  describe('with --lab and a client outside --admin-allow', () => {
    let balancer: Balancer;
    beforeAll(async () => {
      balancer = await startBalancer(['--backends', backend.url, '--lab', '--admin-allow', '127.0.0.2/32']);
    });
    afterAll(() => balancer.stop());

    it('PUT from 127.0.0.1 is refused with 403 and relays nothing', async () => {
      const res = await control(balancer, backend.url, { method: 'PUT', body: '{"healthy":false}' });
      expect(res.status).toBe(403);
      expect((await backend.status()).healthy).toBe(true);
    });
  });
});
