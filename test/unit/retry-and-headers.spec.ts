import type { ClientRequest, IncomingMessage } from 'node:http';
import { clientAddress, rewriteUpstreamHeaders } from '../../apps/balancer/src/proxy/forwarded-headers';
import { isSafeToRetry } from '../../apps/balancer/src/proxy/retry-policy';
import { classifyUpstreamError, UpstreamTimeoutError } from '../../apps/balancer/src/proxy/upstream-error';

function fakeRequest(method: string, didRead = false, headers: IncomingMessage['headers'] = {}): IncomingMessage {
  return {
    method,
    headers,
    readableDidRead: didRead,
    socket: { remoteAddress: '10.1.2.3' },
  } as unknown as IncomingMessage;
}

/** A ClientRequest stand-in that starts with the client's headers, as http-proxy does. */
function fakeUpstream(initial: Record<string, string>): ClientRequest & { headers: Map<string, string> } {
  const headers = new Map(Object.entries(initial));
  return {
    headers,
    removeHeader: (name: string) => headers.delete(name),
    setHeader: (name: string, value: string) => headers.set(name, value),
  } as unknown as ClientRequest & { headers: Map<string, string> };
}

describe('retry policy: a request is only re-sent when that is safe', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])('%s is retried after a refused or reset connection', (m) => {
    expect(isSafeToRetry(fakeRequest(m), 'refused')).toBe(true);
    expect(isSafeToRetry(fakeRequest(m), 'reset')).toBe(true);
  });

  it.each(['POST', 'PATCH'])('%s is retried only when the connection was refused', (m) => {
    expect(isSafeToRetry(fakeRequest(m), 'refused')).toBe(true);
    expect(isSafeToRetry(fakeRequest(m), 'reset')).toBe(false);
  });

  it('a body already read from the client is never replayed, whatever the method', () => {
    for (const m of ['GET', 'PUT', 'POST']) {
      expect(isSafeToRetry(fakeRequest(m, true), 'refused')).toBe(false);
      expect(isSafeToRetry(fakeRequest(m, true), 'reset')).toBe(false);
    }
  });

  it('never after a timeout or an unknown error', () => {
    expect(isSafeToRetry(fakeRequest('GET'), 'timeout')).toBe(false);
    expect(isSafeToRetry(fakeRequest('GET'), 'other')).toBe(false);
  });

  it('classifies upstream errors', () => {
    const coded = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyUpstreamError(coded('ECONNREFUSED'))).toBe('refused');
    expect(classifyUpstreamError(coded('ECONNRESET'))).toBe('reset');
    expect(classifyUpstreamError(coded('EPIPE'))).toBe('reset');
    expect(classifyUpstreamError(new UpstreamTimeoutError())).toBe('timeout');
    expect(classifyUpstreamError(new Error('strange'))).toBe('other');
  });
});

describe('forwarded headers', () => {
  it('drops hop-by-hop headers and those named in Connection; sets X-Forwarded-*', () => {
    const clientHeaders = {
      host: 'shop.test:8080',
      connection: 'keep-alive, x-secret-hop',
      'keep-alive': 'timeout=5',
      'proxy-authorization': 'Basic abc',
      te: 'trailers',
      'x-secret-hop': '1',
      'x-kept': 'yes',
    };
    const upstream = fakeUpstream(clientHeaders);
    rewriteUpstreamHeaders(upstream, fakeRequest('GET', false, clientHeaders), '10.1.2.3');
    expect([...upstream.headers.keys()].sort()).toEqual(
      ['host', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-kept'].sort(),
    );
    expect(upstream.headers.get('x-forwarded-for')).toBe('10.1.2.3');
    expect(upstream.headers.get('x-forwarded-proto')).toBe('http');
    expect(upstream.headers.get('x-forwarded-host')).toBe('shop.test:8080');
  });

  it('appends the client to an existing X-Forwarded-For', () => {
    const upstream = fakeUpstream({});
    rewriteUpstreamHeaders(upstream, fakeRequest('GET', false, { 'x-forwarded-for': '1.1.1.1' }), '10.1.2.3');
    expect(upstream.headers.get('x-forwarded-for')).toBe('1.1.1.1, 10.1.2.3');
  });

  it('takes the client address from the socket unless the proxy is trusted', () => {
    const req = fakeRequest('GET', false, { 'x-forwarded-for': ' 9.9.9.9 , 8.8.8.8' });
    expect(clientAddress(req, false)).toBe('10.1.2.3');
    expect(clientAddress(req, true)).toBe('9.9.9.9');
    expect(clientAddress(fakeRequest('GET'), true)).toBe('10.1.2.3');
  });
});
