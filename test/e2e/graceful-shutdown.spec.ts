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

  it('--shutdown-timeout bounds the wait: requests still running then are cut, and the balancer exits 0', async () => {
    await Promise.all(backends.map((b) => b.control({ latencyMs: 60_000 })));
    const balancer = await startBalancer([
      '--backends',
      backends.map((b) => b.url).join(','),
      '--shutdown-timeout',
      '300ms',
    ]);
    try {
      const before = await totalServed(backends);
      const inFlight = Array.from({ length: 4 }, () =>
        httpRequest(`${balancer.url}/`, { timeoutMs: 90_000 }).catch((e: Error) => e),
      );
      await waitForArrivals(backends, before, 4);
      expect(await balancer.stop('SIGTERM')).toBe(0);
      const results = await Promise.all(inFlight);
      // Cut, not answered: the backends would only have answered after a minute.
      expect(results.every(isFailure)).toBe(true);
      expect(balancer.output()).toMatch(/shutdown timeout: cutting 4 request\(s\) still in flight/);
    } finally {
      await Promise.all(backends.map((b) => b.control({ latencyMs: 0 })));
    }
  });
});
