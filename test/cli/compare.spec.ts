import type { CompareReport } from '../../apps/cli/src/compare/compare-report';
import { waitFor } from '../support/http';
import { type Balancer, type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';
import { algorithmView as getAlgorithm, backendViews as getBackends } from '../support/admin-api';
import { runCli, runCliJson, STACK_TRACE, startCli, stopAllCli } from '../support/cli';

type Control = Awaited<ReturnType<DemoBackend['status']>>;

/** The lab switches of every backend, as each demo backend itself reports them. */
async function controls(backends: readonly DemoBackend[]): Promise<Array<Omit<Control, 'served'>>> {
  return Promise.all(
    backends.map(async (b) => {
      const { healthy, latencyMs, failRate, port } = await b.status();
      return { healthy, latencyMs, failRate, port };
    }),
  );
}

async function weights(balancer: Balancer): Promise<Record<string, number>> {
  return Object.fromEntries((await getBackends(balancer.url)).map((b) => [b.url, b.weight]));
}

async function patchWeight(balancer: Balancer, url: string, weight: number): Promise<void> {
  const res = await fetch(`${balancer.url}/api/backends`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url, weight }),
  });
  if (!res.ok) throw new Error(`PATCH ${res.status}: ${await res.text()}`);
}

async function setAlgorithm(balancer: Balancer, algorithm: string, options?: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${balancer.url}/api/algorithm`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ algorithm, options }),
  });
  if (!res.ok) throw new Error(`PUT ${res.status}: ${await res.text()}`);
}

/** `loadex compare` against a real balancer with --lab and real demo backends. */
describe('loadex compare', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  const cli = (args: string[]) => runCli(['--url', balancer.url, ...args]);

  beforeAll(async () => {
    backends = await startBackends(4);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--lab']);
  });

  afterAll(async () => {
    stopAllCli();
    await stopAll();
  });

  /** Lab switches, weights and an algorithm with options that are not the defaults, to be put back. */
  async function unusualStart(): Promise<void> {
    await backends[1].control({ latencyMs: 3, failRate: 0.01 });
    await backends[2].control({ latencyMs: 0, failRate: 0 });
    await patchWeight(balancer, backends[3].url, 3);
    await setAlgorithm(balancer, 'hash', { key: 'path', balanceFactor: 1.5 });
  }

  test('skewed: one row per algorithm; requests per backend add up to what each backend served; lc spares the slow one; all restored', async () => {
    await unusualStart();
    const before = { controls: await controls(backends), weights: await weights(balancer) };
    const algorithmBefore = await getAlgorithm(balancer.url);
    const servedBefore = await Promise.all(backends.map(async (b) => (await b.status()).served));

    const report = await runCliJson<CompareReport>([
      '--url',
      balancer.url,
      'compare',
      '--scenario',
      'skewed',
      '--count',
      '200',
      '--concurrency',
      '10',
      '--algorithms',
      'roundrobin,leastconnection',
    ]);

    expect(report.scenario).toBe('skewed');
    expect(report.rows.map((r) => r.algorithm)).toEqual(['roundrobin', 'leastconnection']);
    expect(report.interrupted).toBe(false);
    const slow = report.setup.filter((b) => b.singledOut);
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatchObject({ latencyMs: 50, failRate: 0, weight: 1 });
    expect(report.setup.filter((b) => !b.singledOut).map((b) => b.latencyMs)).toEqual([5, 5, 5]);

    for (const row of report.rows) {
      expect(row).toMatchObject({ sent: 200, succeeded: 200, errors: 0 });
      expect(row.backends.reduce((sum, b) => sum + b.requests, 0)).toBe(200);
      expect(row.latencyMs.p50).not.toBeNull();
    }
    // The balancer's counts per backend, summed over the runs, are what each backend itself served.
    for (const [i, backend] of backends.entries()) {
      const counted = report.rows.reduce(
        (sum, r) => sum + (r.backends.find((b) => b.url === backend.url)?.requests ?? 0),
        0,
      );
      expect(counted).toBe((await backend.status()).served - servedBefore[i]);
    }
    const toSlow = (algorithm: string) =>
      report.rows.find((r) => r.algorithm === algorithm)!.backends.find((b) => b.url === slow[0].url)!.requests;
    expect(toSlow('roundrobin')).toBe(50);
    expect(report.rows[0].maxLoad).toBe(1);
    expect(toSlow('leastconnection')).toBeLessThan(toSlow('roundrobin'));

    expect(await controls(backends)).toEqual(before.controls);
    expect(await weights(balancer)).toEqual(before.weights);
    expect(await getAlgorithm(balancer.url)).toEqual(algorithmBefore);
  });

  test('the human table: a row per algorithm, a column per backend, the load defined in a footnote', async () => {
    const result = await cli(['compare', '--count', '20', '--algorithms', 'rr,p2c']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ Algorithm +│ +p50 │ +p95 │ +p99 │ Errors │/);
    expect(result.stdout).toMatch(/^│ roundrobin +│/m);
    expect(result.stdout).toMatch(/^│ p2c +│/m);
    for (const b of backends) expect(result.stdout).toContain(`:${b.port}`);
    expect(result.stdout).toMatch(/\* marks that backend/);
    expect(result.stdout).toMatch(/^Load: a backend's load is the requests it got ÷ the mean requests per backend/m);
  });

  test('uneven: weighted round robin gives the weight-5 backend 5 of every 8; hot-key: hash sends the hot key to one backend', async () => {
    const uneven = await runCliJson<CompareReport>([
      '--url',
      balancer.url,
      'compare',
      '--scenario',
      'uneven',
      '--count',
      '80',
      '--algorithms',
      'wrr',
    ]);
    const heavy = uneven.setup.find((b) => b.singledOut)!;
    expect(heavy.weight).toBe(5);
    expect(uneven.rows[0].backends.find((b) => b.url === heavy.url)!.requests).toBe(50);

    const hot = await runCliJson<CompareReport>([
      '--url',
      balancer.url,
      'compare',
      '--scenario',
      'hot-key',
      '--count',
      '50',
      '--algorithms',
      'hash,roundrobin',
    ]);
    expect(hot.rows[0]).toMatchObject({ algorithm: 'hash', options: { key: 'header:x-user' } });
    // 40 of the 50 requests carry the hot key: they all land on one backend, plus its share of the rest.
    expect(Math.max(...hot.rows[0].backends.map((b) => b.requests))).toBeGreaterThanOrEqual(40);
    expect(Math.max(...hot.rows[1].backends.map((b) => b.requests))).toBeLessThan(40);
  });

  test('Ctrl-C stops the comparison: exit 1 with one line, everything restored', async () => {
    await unusualStart();
    const before = { controls: await controls(backends), weights: await weights(balancer) };
    const algorithmBefore = await getAlgorithm(balancer.url);
    const served = async () => (await Promise.all(backends.map((b) => b.status()))).reduce((s, c) => s + c.served, 0);
    const start = await served();

    const run = startCli(['--url', balancer.url, 'compare', '--count', '5000', '--algorithms', 'rr,lc,p2c']);
    await waitFor(async () => (await served()) - start >= 50, 30_000);
    run.child.kill('SIGINT');
    const result = await run.done;

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^loadex: interrupted: 1 of 3 algorithms compared; the backends and the algorithm are restored$/m,
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toMatch(/^│ roundrobin \(interrupted\)/m);
    expect(await controls(backends)).toEqual(before.controls);
    expect(await weights(balancer)).toEqual(before.weights);
    expect(await getAlgorithm(balancer.url)).toEqual(algorithmBefore);
  });

  test.each([
    [
      ['compare', '--scenario', 'sideways'],
      /^loadex: option '--scenario <name>' argument 'sideways' is invalid\. expected one of skewed, flaky, uneven, hot-key$/m,
    ],
    [
      ['compare', '--algorithms', 'roundrobin,fastest'],
      /^loadex: --algorithms: unknown algorithm "fastest": the balancer knows roundrobin \(rr\), /,
    ],
    [['compare', '--algorithms', 'rr,,lc'], /^loadex: option '--algorithms <list>' argument 'rr,,lc' is invalid\. /],
    [
      ['compare', '--count', '0'],
      /^loadex: option '-c, --count <n>' argument '0' is invalid\. expected a positive integer$/m,
    ],
  ])('%j is a usage error (exit 2, one line naming it) and changes nothing', async (args, message) => {
    await unusualStart();
    const before = { controls: await controls(backends), weights: await weights(balancer) };
    const algorithmBefore = await getAlgorithm(balancer.url);
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(await controls(backends)).toEqual(before.controls);
    expect(await weights(balancer)).toEqual(before.weights);
    expect(await getAlgorithm(balancer.url)).toEqual(algorithmBefore);
  });

  test('without --lab it fails with one line saying so, and changes nothing', async () => {
    const plain = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
    const before = await controls(backends);
    const algorithmBefore = await getAlgorithm(plain.url);
    const result = await runCli(['--url', plain.url, 'compare', '--count', '10']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^loadex: compare sets its scenario up through lab mode: lab mode is off \(start the balancer with --lab\)/,
    );
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await controls(backends)).toEqual(before);
    expect(await getAlgorithm(plain.url)).toEqual(algorithmBefore);
    await plain.stop();
  });
});
