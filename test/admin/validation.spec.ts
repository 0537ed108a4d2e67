import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { poolShape } from '../support/admin-api';

/**
 * Bad input on every mutating route: each answer is 400/404/413 with `{"statusCode","message"}`
 * naming the field, and the pool (backends, weights, states, algorithm) is exactly as before.
 */
interface BadInput {
  name: string;
  send: (adminUrl: string) => request.Test;
  status: number;
  message: RegExp;
}

const GOOD = 'http://127.0.0.1:9';
const post = (body: unknown) => (u: string) =>
  request(u)
    .post('/api/backends')
    .send(body as object);
const patch = (body: unknown) => (u: string) =>
  request(u)
    .patch('/api/backends')
    .send(body as object);
const put = (body: unknown) => (u: string) =>
  request(u)
    .put('/api/algorithm')
    .send(body as object);
const add = (query: string) => (u: string) => request(u).post(`/api/add?${query}`);
const remove = (query: string) => (u: string) => request(u).delete(`/api/backends?${query}`);
const raw = (method: 'post' | 'patch' | 'put', path: string, body: string, type = 'application/json') => {
  return (u: string) => request(u)[method](path).set('Content-Type', type).send(body);
};

const longUrl = `http://${'a'.repeat(3000)}.example`;

const WEIGHT = /^weight: expected an integer from 1 to 1000/;

function table(existing: () => string): BadInput[] {
  return [
    {
      name: 'ftp: URL',
      send: post({ url: 'ftp://127.0.0.1/' }),
      status: 400,
      message: /^url: .*must use http: or https:, not ftp:/,
    },
    {
      name: 'javascript: URL',
      send: post({ url: 'javascript:alert(1)' }),
      status: 400,
      message: /^url: .*must use http: or https:, not javascript:/,
    },
    {
      name: 'URL without host',
      send: post({ url: 'http://' }),
      status: 400,
      message: /^url: "http:\/\/" is not an absolute URL/,
    },
    {
      name: 'relative URL',
      send: post({ url: '/just/a/path' }),
      status: 400,
      message: /^url: .*is not an absolute URL/,
    },
    {
      name: 'URL with credentials',
      send: post({ url: 'http://user:secret@127.0.0.1:9' }),
      status: 400,
      message: /^url: .*must not contain credentials/,
    },
    {
      name: 'URL with a query',
      send: post({ url: 'http://127.0.0.1:9/?a=1' }),
      status: 400,
      message: /^url: .*must not contain a query/,
    },
    {
      name: 'URL with a fragment',
      send: post({ url: 'http://127.0.0.1:9/#x' }),
      status: 400,
      message: /^url: .*must not contain a fragment/,
    },
    {
      name: 'URL with a path',
      send: post({ url: 'http://127.0.0.1:9/app' }),
      status: 400,
      message: /^url: .*must be an origin without a path/,
    },
    {
      name: '3,000-character URL',
      send: post({ url: longUrl }),
      status: 400,
      message: /^url: backend URL is longer than 2048 characters$/,
    },
    {
      name: 'URL not a string',
      send: post({ url: 42 }),
      status: 400,
      message: /^url: expected an absolute http\(s\) URL string$/,
    },
    {
      name: 'missing url',
      send: post({ weight: 2 }),
      status: 400,
      message: /^url: expected an absolute http\(s\) URL string$/,
    },
    { name: 'weight 0', send: post({ url: GOOD, weight: 0 }), status: 400, message: WEIGHT },
    { name: 'weight -1', send: post({ url: GOOD, weight: -1 }), status: 400, message: WEIGHT },
    { name: 'weight 1.5', send: post({ url: GOOD, weight: 1.5 }), status: 400, message: WEIGHT },
    { name: 'weight "x"', send: post({ url: GOOD, weight: 'x' }), status: 400, message: WEIGHT },
    { name: 'weight 1001', send: post({ url: GOOD, weight: 1001 }), status: 400, message: WEIGHT },
    { name: 'unknown field', send: post({ url: GOOD, wieght: 2 }), status: 400, message: /^unknown field "wieght"$/ },
    {
      name: 'JSON array body',
      send: raw('post', '/api/backends', '[1,2]'),
      status: 400,
      message: /^body: expected a JSON object/,
    },
    {
      name: 'no JSON content type',
      send: raw('post', '/api/backends', `url=${GOOD}`, 'application/x-www-form-urlencoded'),
      status: 400,
      message: /^body: expected a JSON object/,
    },
    {
      name: 'malformed JSON',
      send: raw('post', '/api/backends', '{"url": "http://127.0.0.1:9",'),
      status: 400,
      message: /^body: malformed JSON/,
    },
    {
      name: 'oversize body (20 KiB)',
      send: post({ url: GOOD, pad: 'x'.repeat(20 * 1024) }),
      status: 413,
      message: /^body: larger than the admin limit of 16384 bytes$/,
    },
    {
      name: 'api/add: ftp: URL',
      send: add('url=ftp%3A%2F%2F127.0.0.1'),
      status: 400,
      message: /^url: .*must use http: or https:/,
    },
    {
      name: 'api/add: no url',
      send: add('weight=2'),
      status: 400,
      message: /^url: expected an absolute http\(s\) URL string$/,
    },
    {
      name: 'api/add: two urls',
      send: add(`url=${GOOD}&url=${GOOD}`),
      status: 400,
      message: /^url: expected an absolute http\(s\) URL string$/,
    },
    { name: 'api/add: weight 0', send: add(`url=${GOOD}&weight=0`), status: 400, message: WEIGHT },
    { name: 'api/add: weight -1', send: add(`url=${GOOD}&weight=-1`), status: 400, message: WEIGHT },
    { name: 'api/add: weight 1.5', send: add(`url=${GOOD}&weight=1.5`), status: 400, message: WEIGHT },
    { name: 'api/add: weight x', send: add(`url=${GOOD}&weight=x`), status: 400, message: WEIGHT },
    { name: 'patch: weight 0', send: (u) => patch({ url: existing(), weight: 0 })(u), status: 400, message: WEIGHT },
    {
      name: 'patch: weight "x"',
      send: (u) => patch({ url: existing(), weight: 'x' })(u),
      status: 400,
      message: WEIGHT,
    },
    {
      name: 'patch: unknown state',
      send: (u) => patch({ url: existing(), state: 'paused' })(u),
      status: 400,
      message: /^state: expected "active" or "draining"$/,
    },
    {
      name: 'patch: nothing to change',
      send: (u) => patch({ url: existing() })(u),
      status: 400,
      message: /^weight or state: give at least one/,
    },
    {
      name: 'patch: javascript: URL',
      send: patch({ url: 'javascript:alert(1)', weight: 2 }),
      status: 400,
      message: /^url: /,
    },
    {
      name: 'patch: unknown backend',
      send: patch({ url: GOOD, weight: 2 }),
      status: 404,
      message: /^url: no backend http:\/\/127\.0\.0\.1:9 in the pool$/,
    },
    {
      name: 'delete: ftp: URL',
      send: remove('url=ftp%3A%2F%2Fx'),
      status: 400,
      message: /^url: .*must use http: or https:/,
    },
    { name: 'delete: no url', send: remove(''), status: 400, message: /^url: / },
    {
      name: 'delete: unknown backend',
      send: remove(`url=${encodeURIComponent(GOOD)}`),
      status: 404,
      message: /^url: no backend/,
    },
    {
      name: 'algorithm: unknown',
      send: put({ algorithm: 'fastest' }),
      status: 400,
      message: /^algorithm: unknown algorithm "fastest": expected one of roundrobin/,
    },
    { name: 'algorithm: missing', send: put({}), status: 400, message: /^algorithm: expected one of/ },
    {
      name: 'algorithm: not a string',
      send: put({ algorithm: 3 }),
      status: 400,
      message: /^algorithm: expected one of/,
    },
    {
      name: 'algorithm: malformed JSON',
      send: raw('put', '/api/algorithm', '{algorithm: rr}'),
      status: 400,
      message: /^body: malformed JSON/,
    },
    {
      name: 'algorithm: oversize body',
      send: put({ algorithm: 'rr', pad: 'y'.repeat(17 * 1024) }),
      status: 413,
      message: /^body: larger than/,
    },
  ];
}

describe('admin validation: bad input is refused with a message naming the field, the pool unchanged', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer(['--backends', `${backends[0].url},${backends[1].url}=3`, '--algo', 'wrr']);
    await request(balancer.url).patch('/api/backends').send({ url: backends[1].url, state: 'draining' }).expect(200);
  });
  afterAll(stopAll);

  it.each(table(() => backends[0].url))('$name → $status', async ({ send, status, message }) => {
    const before = await poolShape(balancer.url);
    const res = await send(balancer.url);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.body as { statusCode: number; message: string };
    expect(body.statusCode).toBe(status);
    expect(typeof body.message).toBe('string');
    expect(body.message).toMatch(message);
    expect(await poolShape(balancer.url)).toEqual(before);
  });

  it('the pool it was checked against is the one configured', async () => {
    expect(await poolShape(balancer.url)).toEqual({
      algorithm: 'weightedroundrobin',
      backends: [
        { url: backends[0].url, weight: 1, state: 'active' },
        { url: backends[1].url, weight: 3, state: 'draining' },
      ],
    });
  });
});

describe('admin validation: at most 1,000 backends', () => {
  let dir: string;
  let balancer: Balancer;

  beforeAll(async () => {
    // 1,000 backends from a state file: ports on 127.0.0.1 that nothing listens on (checked once).
    dir = mkdtempSync(join(tmpdir(), 'loadex-admin-limit-'));
    const file = join(dir, 'state.json');
    const backends = Array.from({ length: 1000 }, (_, i) => ({
      url: `http://127.0.0.1:${i + 1}`,
      weight: 1,
      state: 'active',
    }));
    writeFileSync(file, JSON.stringify({ version: 1, algorithm: 'roundrobin', backends, removed: [] }));
    balancer = await startBalancer(['--state-file', file, '--health-interval', '1h', '--log-level', 'info']);
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the 1,001st backend is refused with 409 and the pool keeps 1,000', async () => {
    expect((await request(balancer.url).get('/api/info').expect(200)).body).toMatchObject({ backends: 1000 });
    const res = await request(balancer.url).post('/api/backends').send({ url: 'http://127.0.0.1:1001' }).expect(409);
    expect(res.body).toEqual({
      statusCode: 409,
      message: 'the pool already holds the maximum of 1000 backends',
      error: 'Conflict',
    });
    await request(balancer.url).post('/api/add?url=http%3A%2F%2F127.0.0.1%3A1002').expect(409);
    // Adding one that is already there is still fine (idempotent).
    await request(balancer.url).post('/api/backends').send({ url: 'http://127.0.0.1:1' }).expect(200);
    expect((await request(balancer.url).get('/api/info').expect(200)).body).toMatchObject({ backends: 1000 });
  });
});
