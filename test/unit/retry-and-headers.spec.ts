import type { ClientRequest, IncomingMessage } from 'node:http';
import { clientAddress } from '../../apps/balancer/src/proxy/client-address';
import { type AttemptState, marksBackendDown, nextStep } from '../../apps/balancer/src/proxy/next-step';
import { rewriteUpstreamHeaders } from '../../apps/balancer/src/proxy/transport/hpm/hpm-headers';
import {
  clientResponseHeaders,
  keepsTransferEncoding,
} from '../../apps/balancer/src/proxy/transport/client-response-headers';
import { upstreamRequestHeaders } from '../../apps/balancer/src/proxy/transport/undici/upstream-headers';
import {
  classifyUpstreamError,
  phaseOfError,
  UpstreamTimeoutError,
} from '../../apps/balancer/src/proxy/transport/upstream-error';
import type { UpstreamFailure } from '../../apps/balancer/src/proxy/transport/upstream-transport';
import type { UpstreamErrorKind } from '../../apps/balancer/src/traffic/traffic-sink';

function fakeRequest(method: string, didRead = false, headers: IncomingMessage['headers'] = {}): IncomingMessage {
  const rawHeaders = Object.entries(headers).flatMap(([k, v]) => [k, String(v)]);
  return {
    method,
    headers,
    rawHeaders,
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

function state(method: string, change: Partial<AttemptState> = {}): AttemptState {
  return {
    method,
    attempts: 1,
    maxAttempts: 3,
    bodyConsumed: false,
    responseStarted: false,
    clientGone: false,
    ...change,
  };
}

function failure(phase: 'connect' | 'sent', kind: UpstreamErrorKind, reusedSocket = false): UpstreamFailure {
  return { phase, kind, reusedSocket, detail: 'test' };
}

describe('nextStep: a request is only re-sent when that is safe', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST', 'PATCH'])(
    '%s is retried after a failure in phase connect',
    (m) => {
      expect(nextStep(state(m), failure('connect', 'refused'))).toBe('retry');
      expect(nextStep(state(m), failure('connect', 'timeout'))).toBe('retry');
    },
  );

  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])('%s is retried after a reset in phase sent', (m) => {
    expect(nextStep(state(m), failure('sent', 'reset'))).toBe('retry');
    expect(nextStep(state(m), failure('sent', 'reset', true))).toBe('retry');
  });

  it.each(['POST', 'PATCH'])('%s is never re-sent once it may have arrived: 502', (m) => {
    expect(nextStep(state(m), failure('sent', 'reset'))).toBe('bad-gateway');
    expect(nextStep(state(m), failure('sent', 'reset', true))).toBe('bad-gateway');
  });

  it('a body already read from the client is never replayed, whatever the method', () => {
    for (const m of ['GET', 'PUT', 'POST']) {
      expect(nextStep(state(m, { bodyConsumed: true }), failure('sent', 'reset'))).toBe('bad-gateway');
    }
  });

  it('a timeout is answered 504 and never re-sent; an unknown error is 502', () => {
    expect(nextStep(state('GET'), failure('sent', 'timeout'))).toBe('gateway-timeout');
    expect(nextStep(state('GET'), failure('sent', 'other'))).toBe('bad-gateway');
  });

  it('no attempts left: 502; a response already started is cut; a client gone gets nothing', () => {
    expect(nextStep(state('GET', { attempts: 3 }), failure('connect', 'refused'))).toBe('bad-gateway');
    expect(nextStep(state('GET', { responseStarted: true }), failure('sent', 'reset'))).toBe('cut');
    expect(nextStep(state('GET', { clientGone: true }), failure('sent', 'reset'))).toBe('none');
  });

  it('passive health: refused or a reset on a fresh connection marks down; a reused connection, a timeout do not', () => {
    expect(marksBackendDown(failure('connect', 'refused'))).toBe(true);
    expect(marksBackendDown(failure('sent', 'reset'))).toBe(true);
    expect(marksBackendDown(failure('sent', 'reset', true))).toBe(false);
    expect(marksBackendDown(failure('sent', 'timeout'))).toBe(false);
  });

  it('classifies upstream errors of both engines, and their phase', () => {
    const coded = (code: string) => Object.assign(new Error(code), { code });
    expect(classifyUpstreamError(coded('ECONNREFUSED'))).toBe('refused');
    expect(classifyUpstreamError(coded('ECONNRESET'))).toBe('reset');
    expect(classifyUpstreamError(coded('EPIPE'))).toBe('reset');
    expect(classifyUpstreamError(coded('UND_ERR_SOCKET'))).toBe('reset');
    expect(classifyUpstreamError(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout');
    expect(classifyUpstreamError(new UpstreamTimeoutError())).toBe('timeout');
    expect(classifyUpstreamError(new Error('strange'))).toBe('other');
    expect(phaseOfError(coded('ECONNREFUSED'))).toBe('connect');
    expect(phaseOfError(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe('connect');
    expect(phaseOfError(coded('ECONNRESET'))).toBe('sent');
  });
});

const HOP_BY_HOP_CLIENT = {
  host: 'shop.test:8080',
  connection: 'keep-alive, x-secret-hop',
  'keep-alive': 'timeout=5',
  'proxy-authorization': 'Basic abc',
  te: 'trailers',
  expect: '100-continue',
  'x-secret-hop': '1',
  'x-kept': 'yes',
};

describe('forwarded headers (hpm)', () => {
  it('drops hop-by-hop headers and those named in Connection; sets X-Forwarded-*', () => {
    const clientHeaders = { ...HOP_BY_HOP_CLIENT };
    delete (clientHeaders as Partial<typeof clientHeaders>).expect;
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

describe('forwarded headers (undici)', () => {
  it('request: drops hop-by-hop, Connection-nominated and Expect; keeps Host and casing; sets X-Forwarded-*', () => {
    const req = fakeRequest('GET', false, { ...HOP_BY_HOP_CLIENT, 'X-Forwarded-For': '1.1.1.1' });
    req.headers['x-forwarded-for'] = '1.1.1.1';
    const flat = upstreamRequestHeaders(req, '10.1.2.3');
    const pairs = Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
    expect(pairs).toEqual([
      ['host', 'shop.test:8080'],
      ['x-kept', 'yes'],
      ['x-forwarded-for', '1.1.1.1, 10.1.2.3'],
      ['x-forwarded-proto', 'http'],
      ['x-forwarded-host', 'shop.test:8080'],
    ]);
  });

  it('response: keeps casing and repeated Set-Cookie lines; drops hop-by-hop and Connection-nominated', () => {
    const raw = [
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'Connection',
      'close, X-Hop',
      'Keep-Alive',
      'timeout=5',
      'X-Hop',
      'secret',
      'Set-Cookie',
      'b=2',
      'Transfer-Encoding',
      'chunked',
    ].map((s) => Buffer.from(s, 'latin1'));
    expect(clientResponseHeaders(raw, true)).toEqual([
      'Content-Type',
      'text/plain',
      'Set-Cookie',
      'a=1',
      'Set-Cookie',
      'b=2',
      'Transfer-Encoding',
      'chunked',
    ]);
    // The same from node:http's rawHeaders (strings), for the hpm engine.
    expect(
      clientResponseHeaders(
        raw.map((b) => b.toString('latin1')),
        true,
      ),
    ).toEqual(clientResponseHeaders(raw, true));
  });

  it('response: Transfer-Encoding is dropped where it may not frame the body (HTTP/1.0 client, 204, 304)', () => {
    const raw = ['Transfer-Encoding', 'chunked', 'Content-Type', 'text/plain'];
    expect(clientResponseHeaders(raw, false)).toEqual(['Content-Type', 'text/plain']);
    const client = (minor: number) => ({ httpVersionMajor: 1, httpVersionMinor: minor }) as IncomingMessage;
    expect(keepsTransferEncoding(client(1), 200)).toBe(true);
    expect(keepsTransferEncoding(client(0), 200)).toBe(false);
    expect(keepsTransferEncoding(client(1), 204)).toBe(false);
    expect(keepsTransferEncoding(client(1), 304)).toBe(false);
  });
});
