import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALGORITHM_CHOICES } from '@loadex/algorithms';
import { escapeRegExp } from '../support/core-traffic';
import { countByBackend, httpRequest, sendMany } from '../support/http';
import { type DemoBackend, runBalancerToExit, startBackends, startBalancer, stopAll } from '../support/processes';

/** The built balancer's command line: the original's form, env, config file, and bad values. */
describe('balancer command line', () => {
  let backends: DemoBackend[];

  beforeAll(async () => {
    backends = await startBackends(2);
  });

  afterAll(async () => {
    await stopAll();
  });

  it.each([
    [['--port', '0'], /no backends/],
    [['--port', '0', '--backends', 'localhost:8001'], /localhost:8001/],
    [['--port', '0', '--backends', 'ftp://127.0.0.1:21'], /must use http: or https:/],
    [['--port', '0', '--backends', 'http://127.0.0.1:1=0'], /invalid weight "0".*integer from 1 to 1000/],
    [
      ['--port', '0', '--backends', 'http://127.0.0.1:1', '--algo', 'fastest'],
      new RegExp(`unknown --algo "fastest": expected one of ${escapeRegExp(ALGORITHM_CHOICES)}$`, 'm'),
    ],
    [['--port', '0', '--backends', 'http://127.0.0.1:1', '--health-interval', 'often'], /--health-interval "often"/],
    [['--port', '0', '--backends', 'http://127.0.0.1:1', '--port', '99999'], /--port "99999"/],
    [['--port', '0', '--backends', 'http://127.0.0.1:1', '--frobnicate'], /unknown option '--frobnicate'/],
    [['-port', '0', '-backends', 'http://127.0.0.1:1', '-algo', 'nope'], /unknown --algo "nope"/],
  ])('%j exits 2 before listening, with one line naming the bad value', async (args, message) => {
    const { code, output } = await runBalancerToExit(args);
    expect(code).toBe(2);
    expect(output).toMatch(message);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).not.toMatch(/listening on/);
  });

  it('a bad value in LOADEX_* is reported the same way', async () => {
    const { code, output } = await runBalancerToExit(['--port', '0', '--backends', 'http://127.0.0.1:1'], {
      LOADEX_HEALTH_TIMEOUT: 'later',
    });
    expect(code).toBe(2);
    expect(output).toMatch(/invalid --health-timeout "later"/);
  });

  it('--help prints the flags and exits 0', async () => {
    const { code, output } = await runBalancerToExit(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--backends',
      '--algo',
      '--health-interval',
      '--retries',
      '--upstream-timeout',
      '--trust-proxy',
    ]) {
      expect(output).toContain(flag);
    }
  });

  it("the original's single-dash command line starts a working balancer", async () => {
    const balancer = await startBalancer([
      '-port',
      '0',
      '-host',
      '127.0.0.1',
      '-algo',
      'RR',
      '-backends',
      backends.map((b) => b.url).join(','),
    ]);
    expect(balancer.output()).toMatch(/algorithm roundrobin/);
    const results = await sendMany(10, 1, () => httpRequest(balancer.url + '/'));
    expect([...countByBackend(results).values()]).toEqual([5, 5]);
    expect(await balancer.stop()).toBe(0);
  });

  it('takes backends and algorithm from LOADEX_* and from a config file; flags win', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadex-cli-'));
    const file = join(dir, 'loadex.yaml');
    writeFileSync(file, `backends:\n  - ${backends[0].url}\nalgorithm: lc\n`);

    const fromFile = await startBalancer(['--config', file]);
    expect(fromFile.output()).toMatch(new RegExp(`algorithm leastconnection, backends ${backends[0].url}=1`));
    await fromFile.stop();

    const fromEnv = await startBalancer(['--config', file], {
      LOADEX_BACKENDS: `${backends[1].url}=3`,
      LOADEX_ALGO: 'wrr',
    });
    expect(fromEnv.output()).toMatch(new RegExp(`algorithm weightedroundrobin, backends ${backends[1].url}=3`));
    await fromEnv.stop();

    const fromFlags = await startBalancer(['--config', file, '--algo', 'ip'], { LOADEX_ALGO: 'wrr' });
    expect(fromFlags.output()).toMatch(/algorithm iphash/);
    await fromFlags.stop();
  });

  it('logs startup as JSON lines when not on a terminal: port, algorithm and backends', async () => {
    const balancer = await startBalancer(['--backends', `${backends[0].url}=2,${backends[1].url}`, '--algo', 'wrr']);
    const lines = balancer
      .output()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; level: number });
    const startup = lines.find((l) => /listening on/.test(l.msg));
    expect(startup?.msg).toContain(`:${balancer.port}`);
    expect(startup?.msg).toContain('algorithm weightedroundrobin');
    expect(startup?.msg).toContain(`${backends[0].url}=2,${backends[1].url}=1`);
    expect(lines.filter((l) => /backend added/.test(l.msg))).toHaveLength(2);
    // Nest's own wiring (modules initialised, routes mapped) is debug, not start-up noise.
    expect(lines.filter((l) => l.level < 30)).toEqual([]);
    expect(balancer.output()).not.toMatch(/InstanceLoader|RouterExplorer|Mapped \{/);
    await balancer.stop();
  });

  it("shows Nest's wiring messages at --log-level debug, at debug level", async () => {
    const balancer = await startBalancer(['--backends', backends[0].url, '--log-level', 'debug']);
    const lines = balancer
      .output()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; level: number; context?: string });
    const routes = lines.filter((l) => l.context === 'RouterExplorer');
    expect(routes.map((l) => l.msg)).toContain('Mapped {/api/backends, GET} route');
    expect(routes.every((l) => l.level === 20)).toBe(true);
    expect(lines.find((l) => /listening on/.test(l.msg))?.level).toBe(30);
    await balancer.stop();
  });
});
