import { httpRequest, type SimpleResponse } from '../support/http';
import { type DemoBackend, startBackends, startBalancer, stopAll, totalServed } from '../support/processes';
import { isFailure, keepAliveAgent, statusCounts } from '../support/core-traffic';
import { waitFor } from '../support/http';

/** Resolves once the backends together have received `n` more requests than `before`. */
async function waitForArrivals(backends: DemoBackend[], before: number, n: number): Promise<void> {
  await waitFor(async () => (await totalServed(backends)) >= before + n);
}

describe('graceful shutdown', () => {
  let backends: DemoBackend[];

  beforeAll(async () => {
    backends = await startBackends(2);
  });

  afterAll(async () => {
    await stopAll();
  });

  it('SIGTERM during slow in-flight requests: they complete, new connections are refused, exit 0', async () => {
    await Promise.all(backends.map((b) => b.control({ latencyMs: 1500 })));
    const balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
    const agent = keepAliveAgent(20);
    try {
      const before = await totalServed(backends);
      const inFlight: Array<Promise<SimpleResponse | Error>> = Array.from({ length: 10 }, () =>
        httpRequest(`${balancer.url}/`, { agent }).catch((e: Error) => e),
      );
      await waitForArrivals(backends, before, 10);

      const exited = balancer.stop('SIGTERM');
      // Once the listener is closed a new connection is refused.
      await waitFor(async () => {
        const r = await httpRequest(`${balancer.url}/`, { timeoutMs: 5000 }).catch((e: NodeJS.ErrnoException) => e);
        return isFailure(r) && (r as NodeJS.ErrnoException).code === 'ECONNREFUSED';
      });

      const results = await Promise.all(inFlight);
      expect(statusCounts(results)).toEqual({ '200': 10 });
      expect(await exited).toBe(0);
      // 10, or 11 when the first refused-connection probe got in before the signal was handled.
      const [, inFlightAtSignal] =
        balancer.output().match(/shutting down on SIGTERM: (\d+) request\(s\) in flight/) ?? [];
      expect(Number(inFlightAtSignal)).toBeGreaterThanOrEqual(10);
      expect(balancer.output()).not.toMatch(/cutting/);
    } finally {
      agent.destroy();
      await Promise.all(backends.map((b) => b.control({ latencyMs: 0 })));
    }
  });

  it('SIGINT works the same way', async () => {
    const balancer = await startBalancer(['--backends', backends[0].url]);
    expect((await httpRequest(`${balancer.url}/`)).status).toBe(200);
    expect(await balancer.stop('SIGINT')).toBe(0);
    expect(balancer.output()).toMatch(/shutting down on SIGINT/);
  });

  it('--shutdown-timeout bounds the wait: under 300ms requests with 3 s left are cut, under 30s they finish; exit 0 both ways', async () => {
    // Both values are far from the backends' latency; the 10 s default would let the first run's
    // requests finish, and so fail this test if the flag were ignored.
    await Promise.all(backends.map((b) => b.control({ latencyMs: 3000 })));
    try {
      const outcome = async (shutdownTimeout: string) => {
        const balancer = await startBalancer([
          '--backends',
          backends.map((b) => b.url).join(','),
          '--shutdown-timeout',
          shutdownTimeout,
        ]);
        const before = await totalServed(backends);
        const inFlight = Array.from({ length: 4 }, () =>
          httpRequest(`${balancer.url}/`, { timeoutMs: 90_000 }).catch((e: Error) => e),
        );
        await waitForArrivals(backends, before, 4);
        const code = await balancer.stop('SIGTERM');
        return { code, results: statusCounts(await Promise.all(inFlight)), output: balancer.output() };
      };

      const short = await outcome('300ms');
      expect(short.code).toBe(0);
      expect(Object.keys(short.results).every((key) => key.startsWith('error:'))).toBe(true);
      expect(Object.values(short.results).reduce((a, b) => a + b, 0)).toBe(4);
      expect(short.output).toMatch(/shutdown timeout: cutting 4 request\(s\) still in flight/);

      const long = await outcome('30s');
      expect(long.code).toBe(0);
      expect(long.results).toEqual({ '200': 4 });
      expect(long.output).not.toMatch(/shutdown timeout: cutting/);
    } finally {
      await Promise.all(backends.map((b) => b.control({ latencyMs: 0 })));
    }
  });
});
