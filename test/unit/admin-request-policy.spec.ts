import { AdminRequestPolicy, CROSS_SITE_MESSAGE } from '../../apps/balancer/src/admin/admin-request-policy';

describe('AdminRequestPolicy', () => {
  const policy = new AdminRequestPolicy(['lb.example', '.internal.example']);
  const plain = new AdminRequestPolicy([]);

  describe('Host (every method)', () => {
    it.each([
      '127.0.0.1',
      '127.0.0.1:8080',
      '10.1.2.3:80',
      '[::1]',
      '[::1]:8080',
      '[2001:db8::7]:9000',
      'localhost',
      'LOCALHOST:8080',
      'dash.localhost:8080',
      'lb.example',
      'LB.Example:8080',
      'internal.example',
      'a.b.internal.example:443',
    ])('answers to %s', (host) => {
      expect(policy.allowsHost(host)).toBe(true);
      expect(policy.judge('GET', { host }, false)).toBeNull();
    });

    it.each([
      'evil.example',
      'evil.example:8080',
      'lb.example.evil.example',
      'notlb.example',
      'evilinternal.example',
      'localhost.evil.example',
      'localhostx',
      '127.0.0.1.nip.io:8080',
      '127.0.0.1:80a',
      '127.0.0.1:',
      '[::1',
      '[::1]x',
      '[not-an-ip]:80',
      '::1',
      'lb.example:8080:1',
      '',
    ])('refuses %j on reads and mutations, naming --admin-hosts', (host) => {
      expect(policy.allowsHost(host)).toBe(false);
      for (const method of ['GET', 'HEAD', 'POST', 'DELETE']) {
        const refusal = policy.judge(method, { host }, false);
        expect(refusal?.reason).toBe('host');
        expect(refusal?.message).toContain('--admin-hosts');
      }
    });

    it('only names given with --admin-hosts are added to IP literals and localhost', () => {
      expect(plain.allowsHost('lb.example:8080')).toBe(false);
      expect(plain.allowsHost('localhost:8080')).toBe(true);
    });

    it('passes a request without Host (HTTP/1.0: no browser sends one)', () => {
      expect(policy.judge('GET', {}, false)).toBeNull();
      expect(policy.judge('POST', {}, false)).toBeNull();
    });

    it('keys the warning by the Host and repeats at most 100 characters of it', () => {
      const refusal = policy.judge('GET', { host: `${'a'.repeat(300)}.example` }, false);
      expect(refusal?.message.length).toBeLessThan(300);
      expect(refusal?.key.startsWith('host aaaa')).toBe(true);
    });
  });

  describe('Origin and Sec-Fetch-Site (mutations)', () => {
    const host = '127.0.0.1:8080';

    it.each([
      [{ origin: 'http://evil.example' }],
      [{ origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
      [{ 'sec-fetch-site': 'cross-site' }],
      [{ 'sec-fetch-site': 'same-site' }],
      [{ origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' }],
      [{ origin: 'http://127.0.0.1:3000' }],
      [{ origin: 'https://127.0.0.1:8080' }],
      [{ origin: 'null' }],
      [{ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'cross-site' }],
      [{ origin: 'http://127.0.0.1:8080, http://evil.example' }],
      [{ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': ['same-origin', 'cross-site'] }],
    ])('refuses a mutation with %j', (headers) => {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        expect(policy.judge(method, { host, ...headers }, false)).toEqual({
          reason: 'cross-site',
          message: CROSS_SITE_MESSAGE,
          key: expect.stringMatching(/^origin /),
        });
      }
    });

    it('keys the warning by the Origin', () => {
      expect(policy.judge('POST', { host, origin: 'http://evil.example' }, false)?.key).toBe(
        'origin http://evil.example',
      );
    });

    it.each([
      [{}],
      [{ origin: 'http://127.0.0.1:8080' }],
      [{ origin: 'http://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }],
      [{ origin: 'HTTP://127.0.0.1:8080', 'sec-fetch-site': 'same-origin' }],
      [{ 'sec-fetch-site': 'none' }],
      [{ 'sec-fetch-site': 'same-origin' }],
    ])('accepts a mutation with %j (same origin, or no browser)', (headers) => {
      expect(policy.judge('POST', { host, ...headers }, false)).toBeNull();
    });

    it('compares the Origin with the scheme and the Host the request was sent to', () => {
      const origin = 'http://lb.example:9000';
      expect(policy.judge('PUT', { host: 'lb.example:9000', origin }, false)).toBeNull();
      expect(policy.judge('PUT', { host: 'lb.example:9001', origin }, false)?.reason).toBe('cross-site');
      expect(policy.judge('PUT', { host: 'lb.example:9000', origin }, true)?.reason).toBe('cross-site');
      expect(policy.judge('PUT', { host: 'lb.example:9000', origin: 'https://lb.example:9000' }, true)).toBeNull();
      // The scheme's default port is the same as none.
      expect(policy.judge('PUT', { host: 'lb.example:80', origin: 'http://lb.example' }, false)).toBeNull();
      expect(policy.judge('PUT', { host: 'lb.example', origin: 'http://lb.example:80' }, false)).toBeNull();
      expect(policy.judge('PUT', { host: '[::1]:9000', origin: 'http://[::1]:9000' }, false)).toBeNull();
      // An Origin with no Host to compare it with cannot be this listener's.
      expect(policy.judge('PUT', { origin }, false)?.reason).toBe('cross-site');
    });

    it('leaves reads alone: cross-site reads are the browser’s to block (no CORS headers)', () => {
      for (const method of ['GET', 'HEAD', 'OPTIONS']) {
        expect(
          policy.judge(method, { host, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }, false),
        ).toBeNull();
      }
    });
  });
});
