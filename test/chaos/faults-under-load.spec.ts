import {
  type FaultName,
  type FaultWindow,
  faultDuring,
  keepsInvariants,
  makeFault,
  type Victim,
} from '../support/chaos-faults';
import {
  deliveredWrites,
  type LoadResult,
  rssBytes,
  settledActiveCounters,
  settledRss,
  startLoad,
  writeViolations,
} from '../support/chaos-load';
import { waitForNewOutput, escapeRegExp, outputMark } from '../support/core-traffic';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { startTcpRelay, type TcpRelay } from '../support/tcp-relay';

/**
 * One fault at a time under concurrent load (64 in flight, 10% POSTs tagged so each delivery is
 * seen): SIGKILL, SIGSTOP, flapping health, a black hole, a slow backend. The fault is injected at
 * a quarter of the requests and undone at three quarters. Invariants: no idempotent request fails
 * (except those already sent to a hanging backend, which time out upstream: 504), no POST is
 * delivered twice, every request ends with a status before the client's own timeout, the active
 * counters return to 0, and the balancer's RSS returns to within 20 MiB of where it was after warm-up.
 */

const CONCURRENCY = 64;
const TOTAL = 4000;
const UPSTREAM_TIMEOUT_MS = 2000;
/** The client's bound: far beyond the upstream timeout, so reaching it means a request was stuck. */
const CLIENT_TIMEOUT_MS = 20_000;
const RSS_SLACK = 20 * 1024 * 1024;

const waitUntil = async (condition: () => boolean, limitMs: number) => {
  const deadline = Date.now() + limitMs;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe.each<[FaultName]>([['kill'], ['stop'], ['flap'], ['blackhole'], ['slow']])(
  'under load, fault %s',
  (faultName) => {
    let backends: DemoBackend[];
    let relay: TcpRelay | undefined;
    let victim: Victim;

    afterEach(async () => {
      victim?.backend.child.kill('SIGCONT'); // a stopped process cannot be killed cleanly otherwise
      await relay?.close();
      await stopAll();
    });

    it('keeps every invariant', async () => {
      backends = await startBackends(5);
      victim = { backend: backends[2] };
      if (faultName === 'blackhole') {
        relay = await startTcpRelay(backends[2].port);
        victim.relay = relay;
      }
      const urls = backends.map((b, i) => (i === 2 && relay ? relay.url : b.url));
      const balancer: Balancer = await startBalancer([
        '--algo',
        'roundrobin',
        '--upstream-timeout',
        `${UPSTREAM_TIMEOUT_MS}ms`,
        '--health-interval',
        '500ms',
        '--health-timeout',
        '500ms',
        '--backends',
        urls.join(','),
      ]);
      const pid = balancer.child.pid!;
      const load = (maxRequests: number, idPrefix: string, onResult: (r: LoadResult) => void) =>
        startLoad(
          {
            url: balancer.url,
            concurrency: CONCURRENCY,
            maxRequests,
            maxDurationMs: 90_000,
            postShare: 0.1,
            clientTimeoutMs: CLIENT_TIMEOUT_MS,
            idPrefix,
          },
          onResult,
        );

      // Warm-up, so the baseline RSS includes the JIT's code and the connection pools.
      const warm: LoadResult[] = [];
      await load(1000, `warm-${faultName}`, (r) => warm.push(r)).done;
      expect(warm.filter((r) => r.status !== 200)).toEqual([]);
      const baseline = rssBytes(pid);

      const results: LoadResult[] = [];
      const run = load(TOTAL, faultName, (r) => results.push(r));
      const started = performance.now();
      const fault = makeFault(faultName, victim);
      const mark = outputMark(balancer);

      await waitUntil(() => run.sent() >= TOTAL / 4, 60_000);
      const window: FaultWindow = { name: faultName, startMs: performance.now() - started, endMs: Infinity };
      await fault.inject();
      const processes = [...backends];
      const victimUrl = urls[2];
      if (faultName !== 'slow') {
        // The balancer noticed: the backend is taken out (health timeout, refused, failed checks).
        await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(victimUrl)} is DOWN`), mark, 30_000);
      }
      await waitUntil(() => run.sent() >= (TOTAL * 3) / 4, 60_000);
      const replacement = await fault.undo();
      if (replacement !== backends[2]) processes.push(replacement);
      // Requests still held by a hanging backend may finish (504) up to an upstream timeout later.
      window.endMs = performance.now() - started + UPSTREAM_TIMEOUT_MS + 1000;
      await run.done;

      // Every request ended, with a status, before the client's timeout.
      expect(results).toHaveLength(TOTAL);
      expect(results.filter((r) => r.error === 'client-timeout')).toEqual([]);
      const broken = results.filter((r) => !keepsInvariants(r, faultDuring(r, [window])));
      expect(broken).toEqual([]);
      if (faultName === 'kill' || faultName === 'flap' || faultName === 'slow') {
        expect(results.filter((r) => r.method === 'GET' && r.status !== 200)).toEqual([]);
      }

      // The active counters return to 0, and the victim is back in the rotation.
      expect(await settledActiveCounters(balancer.url)).toEqual(Object.fromEntries(urls.map((u) => [u, 0])));
      if (faultName !== 'slow') {
        await waitForNewOutput(balancer, new RegExp(`${escapeRegExp(victimUrl)} is UP`), mark, 30_000);
      }

      // No POST was delivered twice (a resumed backend prints what it received while stopped).
      await new Promise((r) => setTimeout(r, 500));
      const posts = results.filter((r) => r.method === 'POST');
      expect(posts.length).toBeGreaterThan(TOTAL * 0.05);
      expect(writeViolations(results, deliveredWrites(processes))).toEqual({ twice: [], answeredButNotDelivered: [] });

      // The balancer's memory returns to where it was after warm-up (allowing the collector time).
      const rss = await settledRss(pid, baseline, RSS_SLACK);
      expect(rss - baseline).toBeLessThanOrEqual(RSS_SLACK);
    });
  },
);
