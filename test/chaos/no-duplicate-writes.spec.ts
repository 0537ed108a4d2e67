import { createHash, randomBytes } from 'node:crypto';
import { httpRequest, waitFor } from '../support/http';
import { type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { answerHealth, type RawServer, startRawServer } from '../support/core-traffic';

/**
 * A request whose body has been streamed to a backend that then dies is never replayed: it is
 * answered 502, and the backends together saw it exactly once (no second delivery, and never a
 * replay with an empty or truncated body — the original's bug).
 */
describe('no duplicate writes when a backend dies mid-request', () => {
  afterEach(async () => {
    await stopAll();
  });

  it('a POST to a backend SIGKILLed while handling it: 502, delivered once, never twice', async () => {
    const backends: DemoBackend[] = await startBackends(3);
    // Every backend holds the request for a while after reading its body, so we can kill the one that has it.
    await Promise.all(backends.map((b) => b.control({ latencyMs: 30_000 })));
    const balancer = await startBalancer([
      '--backends',
      backends.map((b) => b.url).join(','),
      '--health-interval',
      '1m',
    ]);
    const body = randomBytes(256 * 1024);

    const reply = httpRequest(`${balancer.url}/echo`, { method: 'POST', body, timeoutMs: 60_000 });
    let holder: DemoBackend | undefined;
    await waitFor(async () => {
      for (const b of backends) if ((await b.status()).served === 1) holder = b;
      return holder !== undefined;
    });
    await holder!.stop('SIGKILL');

    const r = await reply;
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toMatch(/bad gateway/i);
    for (const b of backends.filter((x) => x !== holder)) expect((await b.status()).served).toBe(0);
  });

  describe('against a backend that reads the whole body and then resets the connection', () => {
    let resetter: RawServer;
    let bodies: Array<{ method: string; bytes: number }>;

    beforeEach(async () => {
      bodies = [];
      resetter = await startRawServer((req, res, socket) => {
        if (answerHealth(req, res)) return;
        let bytes = 0;
        req.on('data', (c: Buffer) => (bytes += c.length));
        req.on('end', () => {
          bodies.push({ method: req.method ?? '', bytes });
          socket.resetAndDestroy();
        });
      });
    });

    afterEach(async () => {
      await resetter.close();
    });

    it.each(['POST', 'PATCH', 'PUT'])(
      'a %s with a body is answered 502 and not re-sent to the healthy backend',
      async (method) => {
        const [healthy] = await startBackends(1);
        const balancer = await startBalancer([
          '--algo',
          'rr',
          '--backends',
          `${resetter.url},${healthy.url}`,
          '--health-interval',
          '1m',
        ]);
        const body = randomBytes(64 * 1024);
        const r = await httpRequest(`${balancer.url}/echo`, { method, body });
        expect(r.status).toBe(502);
        expect(bodies).toEqual([{ method, bytes: body.length }]);
        expect((await healthy.status()).served).toBe(0);

        // The healthy backend still takes the next request, with its body intact.
        const ok = await httpRequest(`${balancer.url}/echo`, { method, body });
        expect(ok.status).toBe(200);
        expect(JSON.parse(ok.body)).toMatchObject({
          method,
          bytes: body.length,
          sha256: createHash('sha256').update(body).digest('hex'),
        });
      },
    );
  });
});
