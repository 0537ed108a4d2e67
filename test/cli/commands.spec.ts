import type { AlgorithmView, BackendView, InfoView, StatsSnapshot } from '@loadex/api';
import type { LoadReport } from '../../apps/cli/src/load/load-report';
import {
  type Balancer,
  type DemoBackend,
  startBackend,
  startBackends,
  startBalancer,
  stopAll,
  totalServed,
} from '../support/processes';
import { waitFor } from '../support/http';
import { algorithmView, backendViews, statsSnapshot } from '../support/admin-api';
import { runCli, runCliJson, STACK_TRACE, startCli, stopAllCli } from '../support/cli';

/** Requests each demo backend served, by its own count (GET /control), by URL. */
async function servedByUrl(backends: DemoBackend[]): Promise<Map<string, number>> {
  return new Map(await Promise.all(backends.map(async (b) => [b.url, (await b.status()).served] as const)));
}

/** The `--json` output of make-request is the CLI's own `LoadReport`. */
type LoadReportJson = LoadReport;

describe('loadex commands against a real balancer and three demo backends', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let urls: string[];
  const cli = (args: string[]) => runCli(['--url', balancer.url, ...args]);
  const cliJson = <T>(args: string[]) => runCliJson<T>(['--url', balancer.url, ...args]);

  beforeAll(async () => {
    backends = await startBackends(3);
    urls = backends.map((b) => b.url).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    balancer = await startBalancer([
      '--backends',
      urls.join(','),
      '--algo',
      'roundrobin',
      '--health-interval',
      '500ms',
      // make-request's failure counts are exact only while a failing backend keeps its share.
      '--outlier-5xx',
      '0',
    ]);
  });

  afterAll(async () => {
    stopAllCli();
    await stopAll();
  });

  test('health: every backend, sorted, with status, weight, state and active requests', async () => {
    const json = await cliJson<BackendView[]>(['health']);
    expect(json.map((b) => b.url)).toEqual(urls);
    for (const b of json) expect(b).toMatchObject({ healthy: true, weight: 1, state: 'active', activeRequests: 0 });

    const human = await cli(['health']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Server\s+│ Status\s+│ Weight\s+│ State\s+│ Active/);
    for (const url of urls)
      expect(human.stdout).toMatch(new RegExp(`${url}\\s+│ healthy\\s+│\\s+1 │ active\\s+│\\s+0 │`));
    expect(human.stdout).not.toContain('\u001b['); // piped: no colour
  });

  test('info and stats: the balancer as the API reports it', async () => {
    const info = await cliJson<InfoView>(['info']);
    expect(info).toMatchObject({ algorithm: 'roundrobin', backends: 3 });
    expect(typeof info.version).toBe('string');
    const infoText = (await cli(['info'])).stdout;
    expect(infoText).toMatch(/algorithm\s+│ roundrobin/);
    expect(infoText).toMatch(/backends\s+│ 3/);

    const stats = await cliJson<StatsSnapshot>(['stats']);
    expect(stats.algorithm).toBe('roundrobin');
    expect(stats.backends.map((b) => b.url).sort()).toEqual([...urls].sort());
    const statsText = (await cli(['stats'])).stdout;
    expect(statsText).toMatch(/Backend\s+│ Health\s+│ State\s+│ Weight\s+│ Requests\s+│ Errors/);
    expect(statsText).toMatch(/│ total\s+│/);
  });

  test('make-request -c 300 over 3 backends round robin: 100 each, as each backend counted it', async () => {
    const servedBefore = await servedByUrl(backends);
    const report = await cliJson<LoadReportJson>(['make-request', '-c', '300']);
    const servedAfter = await servedByUrl(backends);

    expect(report).toMatchObject({ sent: 300, succeeded: 300, failed: 0, count: 300, interrupted: false });
    expect(report.method).toBe('GET');
    expect(report.distribution.map((d) => d.url)).toEqual(urls);
    // The CLI's distribution comes from /api/stats; the demo backends' own counters are the check.
    const served = new Map(urls.map((url) => [url, servedAfter.get(url)! - servedBefore.get(url)!]));
    expect(Object.fromEntries(served)).toEqual(Object.fromEntries(urls.map((url) => [url, 100])));
    for (const share of report.distribution) {
      expect(share.requests).toBe(served.get(share.url));
      expect(share.percent).toBeCloseTo(33.33, 1);
    }
    const l = report.latencyMs;
    expect(l.p50).not.toBeNull();
    expect(l.p50!).toBeLessThanOrEqual(l.p95!);
    expect(l.p95!).toBeLessThanOrEqual(l.p99!);
    expect(l.p99!).toBeLessThanOrEqual(l.max!);
  });

  test("the original's form `make-request --c 30` prints the human summary and the distribution table", async () => {
    const result = await cli(['make-request', '--c', '30', '--concurrency', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Sent 30 GET requests to http:\/\/127\.0\.0\.1:\d+\/ \(concurrency 3\)/m);
    expect(result.stdout).toMatch(/succeeded\s+30/);
    expect(result.stdout).toMatch(/failed\s+0/);
    expect(result.stdout).toMatch(/latency\s+p50 .+ · p95 .+ · p99 .+ · max /);
    for (const url of urls) expect(result.stdout).toMatch(new RegExp(`${url}\\s+│\\s+10 │\\s+33\\.3% │ █+`));
  });

  test('make-request --duration: the run is bounded by the duration given, and the backends served what it sent', async () => {
    // Every request takes at least 200 ms, so two workers fit at most 2 × (1 s / 200 ms + 1) = 12
    // requests into 1 s, and a 3 s run more than that: the number sent follows the flag.
    await Promise.all(backends.map((b) => b.control({ latencyMs: 200 })));
    try {
      const run = async (duration: string) => {
        const before = await totalServed(backends);
        const report = await cliJson<LoadReportJson>(['make-request', '--duration', duration, '--concurrency', '2']);
        expect(report.count).toBeNull();
        expect(report.failed).toBe(0);
        expect(report.interrupted).toBe(false);
        expect(report.distribution.reduce((sum, d) => sum + d.requests, 0)).toBe(report.sent);
        expect((await totalServed(backends)) - before).toBe(report.sent);
        return report;
      };
      const short = await run('1s');
      expect(short.durationMs).toBe(1000);
      expect(short.sent).toBeGreaterThan(0);
      expect(short.sent).toBeLessThanOrEqual(12);
      const long = await run('3s');
      expect(long.durationMs).toBe(3000);
      expect(long.sent).toBeGreaterThan(12);
    } finally {
      await Promise.all(backends.map((b) => b.control({ latencyMs: 0 })));
    }
  });

  test('make-request: failures are counted by status, the summary is still printed, exit code 1', async () => {
    const sick = backends.find((b) => b.url === urls[0])!;
    await sick.control({ failRate: 1 });
    try {
      const result = await cli(['make-request', '-c', '30', '--json']);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as LoadReportJson;
      expect(report.sent).toBe(30);
      expect(report.failed).toBe(10);
      expect(report.failures).toEqual({ '500': 10 });
      expect(report.succeeded).toBe(20);
      expect(result.stderr).toBe('loadex: 10 of 30 requests failed\n');
    } finally {
      await sick.control({ failRate: 0 });
    }
  });

  test('make-request: Ctrl-C stops sending, waits for in-flight requests and prints the summary', async () => {
    const before = await statsSnapshot(balancer.url);
    const run = startCli(['--url', balancer.url, 'make-request', '--duration', '5m', '--concurrency', '4', '--json']);
    await waitFor(
      async () => (await statsSnapshot(balancer.url)).totals.requests - before.totals.requests >= 40,
      30_000,
    );
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as LoadReportJson;
    expect(report.interrupted).toBe(true);
    expect(report.sent).toBeGreaterThanOrEqual(40);
    expect(report.failed).toBe(0);
    expect(report.distribution.reduce((sum, d) => sum + d.requests, 0)).toBe(report.sent);
    expect(result.stderr).toBe('loadex: stopping: waiting for the requests in flight (Ctrl-C again to abort them)\n');
  });

  test('make-request: a second Ctrl-C aborts the requests in flight, the summary still comes', async () => {
    const slow = backends.map((b) => b.control({ latencyMs: 60_000 }));
    await Promise.all(slow);
    try {
      const before = await statsSnapshot(balancer.url);
      const run = startCli(['--url', balancer.url, 'make-request', '-c', '50', '--concurrency', '3', '--json']);
      await waitFor(
        async () => (await statsSnapshot(balancer.url)).totals.activeRequests - before.totals.activeRequests >= 3,
      );
      run.child.kill('SIGINT');
      await waitFor(() => run.stderr().includes('stopping'));
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as LoadReportJson;
      expect(report).toMatchObject({ interrupted: true, sent: 3, succeeded: 0, failed: 3, failures: { aborted: 3 } });
      expect(result.stderr).toMatch(/loadex: 3 of 3 requests failed\n$/);
    } finally {
      await Promise.all(backends.map((b) => b.control({ latencyMs: 0 })));
    }
  });

  test('make-request --proxy-url: traffic to the proxy port, counters from a separate --admin-port', async () => {
    const split = await startBalancer(['--backends', urls.join(','), '--admin-port', '0']);
    expect(split.adminUrl).not.toBe(split.url);
    const report = await runCliJson<LoadReportJson>([
      '--url',
      split.adminUrl,
      'make-request',
      '-c',
      '30',
      '--proxy-url',
      split.url,
    ]);
    expect(report.target).toBe(`${split.url}/`);
    expect(report.distribution.map((d) => d.requests)).toEqual([10, 10, 10]);
    await split.stop();
  });

  test('add-server, weight, drain, undrain, remove-server change the pool as the API shows', async () => {
    const extra = await startBackend();
    try {
      const added = await cliJson<{ created: boolean; backend: BackendView }>([
        'add-server',
        '-t',
        extra.url,
        '-w',
        '3',
      ]);
      expect(added.created).toBe(true);
      expect(added.backend).toMatchObject({ url: extra.url, weight: 3, state: 'active' });
      expect((await backendViews(balancer.url)).find((b) => b.url === extra.url)?.weight).toBe(3);

      const again = await cliJson<{ created: boolean; backend: BackendView }>(['add-server', '-t', extra.url]);
      expect(again.created).toBe(false);
      expect((await cli(['add-server', '-t', extra.url])).stdout).toMatch(/^already in the pool: /);

      const weighted = await cliJson<BackendView>(['weight', '-t', extra.url, '-w', '5']);
      expect(weighted.weight).toBe(5);
      expect((await cli(['weight', '-t', extra.url, '-w', '6'])).stdout).toMatch(/weight 6/);
      expect((await backendViews(balancer.url)).find((b) => b.url === extra.url)?.weight).toBe(6);

      const drained = await cliJson<BackendView>(['drain', '-t', extra.url]);
      expect(drained.state).toBe('draining');
      expect((await backendViews(balancer.url)).find((b) => b.url === extra.url)?.state).toBe('draining');
      const health = await cli(['health']);
      expect(health.stdout).toMatch(new RegExp(`${extra.url}\\s+│ \\w+\\s+│\\s+6 │ draining`));

      const undrained = await cli(['undrain', '-t', extra.url]);
      expect(undrained.code).toBe(0);
      expect(undrained.stdout).toMatch(/active again .* · active · /);
      expect((await backendViews(balancer.url)).find((b) => b.url === extra.url)?.state).toBe('active');

      const removed = await cliJson<BackendView>(['remove-server', '-t', extra.url]);
      expect(removed.url).toBe(extra.url);
      expect((await backendViews(balancer.url)).map((b) => b.url)).not.toContain(extra.url);
    } finally {
      await extra.stop();
    }
  });

  test("the original's add-server forms: -u / --admin-url for the balancer, after the command", async () => {
    const extra = await startBackend();
    try {
      const viaU = await runCli(['add-server', '-t', extra.url, '-u', balancer.url]);
      expect(viaU.code).toBe(0);
      expect(viaU.stdout).toMatch(new RegExp(`^added ${extra.url} · weight 1 · active`));
      await runCli(['remove-server', '-t', extra.url, '--url', balancer.url]);

      const viaAdminUrl = await runCli(['add-server', '-t', extra.url, '--admin-url', balancer.url]);
      expect(viaAdminUrl.code).toBe(0);
      const viaEnv = await runCli(['remove-server', '-t', extra.url], { LOADEX_URL: balancer.url });
      expect(viaEnv.code).toBe(0);
      expect(viaEnv.stdout).toMatch(new RegExp(`^removed ${extra.url}`));
      expect((await backendViews(balancer.url)).map((b) => b.url)).not.toContain(extra.url);
    } finally {
      await extra.stop();
    }
  });

  test('algo: shows the algorithm, switches it at runtime by name or alias', async () => {
    const shown = await cliJson<AlgorithmView>(['algo']);
    expect(shown.algorithm).toBe('roundrobin');
    expect(shown.available).toEqual(expect.arrayContaining(['roundrobin', 'leastconnection']));

    const switched = await cliJson<AlgorithmView>(['algo', 'lc']);
    expect(switched.algorithm).toBe('leastconnection');
    expect((await algorithmView(balancer.url)).algorithm).toBe('leastconnection');

    const back = await cli(['algo', 'roundrobin']);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(/^algorithm switched to roundrobin/);
    expect((await algorithmView(balancer.url)).algorithm).toBe('roundrobin');
    expect((await cli(['algo'])).stdout).toMatch(/^algorithm: roundrobin \(available: /);
  });

  test('an API error is one line with the API message and exit code 1, never a stack trace', async () => {
    const unknown = await cli(['remove-server', '-t', 'http://127.0.0.1:9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^loadex: .*no backend http:\/\/127\.0\.0\.1:9 .*\(HTTP 404\)\n$/);
    expect(unknown.stdout).toBe('');

    const badAlgo = await cli(['algo', 'fastest']);
    expect(badAlgo.code).toBe(1);
    expect(badAlgo.stderr).toMatch(/^loadex: .*unknown algorithm.*\(HTTP 400\)\n$/);

    const credentials = await cli(['add-server', '-t', 'http://user:pw@127.0.0.1:9']);
    expect(credentials.code).toBe(1);
    expect(credentials.stderr).toMatch(/credentials.*\(HTTP 400\)/);
    for (const r of [unknown, badAlgo, credentials]) expect(r.stderr).not.toMatch(STACK_TRACE);
    expect((await backendViews(balancer.url)).map((b) => b.url)).toEqual(
      expect.not.arrayContaining(['http://127.0.0.1:9']),
    );
  });
});
