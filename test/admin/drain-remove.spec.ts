import { request as httpRequestRaw } from 'node:http';
import request from 'supertest';
import type { BackendView } from '@loadex/api';
import { countByBackend, httpRequest, isFailure, sendMany, waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { backendViews } from '../support/admin-api';

/** A POST /echo whose body is held open: the request stays in flight until `finish()`. */
interface HeldUpload {
  finish(): Promise<{ status: number; port: number; bytes: number }>;
}

function holdUpload(baseUrl: string): HeldUpload {
  const req = httpRequestRaw(`${baseUrl}/echo`, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
  });
  const response = new Promise<{ status: number; port: number; bytes: number }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const body = JSON.parse(text) as { port: number; bytes: number };
        resolve({ status: res.statusCode ?? 0, port: body.port, bytes: body.bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  req.write('first half;');
  return {
    finish() {
      req.end('second half');
      return response;
    },
  };
}

/**
 * Drain and remove under load: the requests already on the backend (uploads held open) finish
 * normally — 200, answered by that backend, the whole body received — and from then on it gets no
 * new request, while other traffic keeps flowing.
 */
describe('drain and remove under load', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--algo', 'rr']);
  });
  afterAll(stopAll);

  const inFlightOn = async (url: string) =>
    (await backendViews(balancer.url)).find((b) => b.url === url)?.activeRequests ?? 0;

  /** Opens 10 uploads (round robin: about half on each backend) and waits until they are all in flight. */
  async function holdTen(): Promise<HeldUpload[]> {
    const uploads = Array.from({ length: 10 }, () => holdUpload(balancer.url));
    await waitFor(async () => (await backendViews(balancer.url)).reduce((n, b) => n + b.activeRequests, 0) === 10);
    return uploads;
  }

  /** Traffic while and after the change: all 200, none on `target`, which serves nothing new. */
  async function expectNoNewRequests(target: DemoBackend, other: DemoBackend) {
    const servedBefore = (await target.status()).served;
    const more = await sendMany(30, 5, () => httpRequest(`${balancer.url}/`));
    expect(more.every((r) => !isFailure(r) && r.status === 200)).toBe(true);
    const byPort = countByBackend(more);
    expect(byPort.get(target.port)).toBeUndefined();
    expect(byPort.get(other.port)).toBe(30);
    expect((await target.status()).served).toBe(servedBefore);
  }

  async function finishAll(uploads: HeldUpload[], target: DemoBackend, onTarget: number) {
    const results = await Promise.all(uploads.map((u) => u.finish()));
    expect(results.every((r) => r.status === 200 && r.bytes === 'first half;second half'.length)).toBe(true);
    expect(results.filter((r) => r.port === target.port)).toHaveLength(onTarget);
  }

  it('PATCH state=draining: in-flight requests complete, no new ones arrive; undrain brings it back', async () => {
    const [a, b] = backends;
    const uploads = await holdTen();
    const drained = await request(balancer.url)
      .patch('/api/backends')
      .send({ url: a.url, state: 'draining' })
      .expect(200);
    const view = drained.body as BackendView;
    expect(view.state).toBe('draining');
    expect(view.activeRequests).toBeGreaterThanOrEqual(1);

    await expectNoNewRequests(a, b);
    expect(await inFlightOn(a.url)).toBe(view.activeRequests);
    await finishAll(uploads, a, view.activeRequests);
    expect(await inFlightOn(a.url)).toBe(0);
    await expectNoNewRequests(a, b);

    await request(balancer.url).patch('/api/backends').send({ url: a.url, state: 'active' }).expect(200);
    const back = await sendMany(10, 2, () => httpRequest(`${balancer.url}/`));
    expect(countByBackend(back).get(a.port)).toBeGreaterThan(0);
  });

  it('DELETE: in-flight requests complete, no new ones arrive', async () => {
    const [a, b] = backends;
    const uploads = await holdTen();
    const removed = await request(balancer.url).delete('/api/backends').query({ url: a.url }).expect(200);
    const view = removed.body as BackendView;
    expect(view.activeRequests).toBeGreaterThanOrEqual(1);
    expect((await backendViews(balancer.url)).map((v) => v.url)).toEqual([b.url]);

    await expectNoNewRequests(a, b);
    await finishAll(uploads, a, view.activeRequests);
    await expectNoNewRequests(a, b);
  });
});
