import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseGoStyleFlags, readCommandLine } from '../../apps/balancer/src/config/command-line';
import { ConfigError } from '../../apps/balancer/src/config/config-error';
import { loadConfig } from '../../apps/balancer/src/config/load-config';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(readCommandLine(argv, env, '0.0.0-test'));

describe('balancer configuration', () => {
  it('has the documented defaults', async () => {
    const c = await load(['--backends', 'http://127.0.0.1:8001']);
    expect(c).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      algorithm: 'roundrobin',
      healthIntervalMs: 5000,
      healthPath: '/health',
      healthTimeoutMs: 2000,
      healthRise: 1,
      healthFall: 1,
      retries: null,
      upstreamTimeoutMs: 60_000,
      shutdownTimeoutMs: 10_000,
      trustProxy: false,
    });
    expect(c.backends.map((b) => [b.url.origin, b.weight])).toEqual([['http://127.0.0.1:8001', 1]]);
  });

  it("accepts the original's single-dash command line unchanged", async () => {
    const c = await load(['-port', '9090', '-algo', 'wrr', '-backends', 'http://localhost:8001,http://localhost:8002']);
    expect(c.port).toBe(9090);
    expect(c.algorithm).toBe('weightedroundrobin');
    expect(c.backends).toHaveLength(2);
  });

  it('leaves single-letter flags alone when normalising Go-style flags', () => {
    expect(normaliseGoStyleFlags(['-port', '1', '-h', '--algo', 'rr', '-health-interval=5s'])).toEqual([
      '--port',
      '1',
      '-h',
      '--algo',
      'rr',
      '--health-interval=5s',
    ]);
  });

  it('reads weights from URL=W and durations like 500ms, 5s, 1m', async () => {
    const c = await load([
      '--backends',
      'http://a:1=5, http://b:2 ,http://c:3=1',
      '--health-interval',
      '500ms',
      '--health-timeout',
      '1m',
      '--upstream-timeout',
      '5s',
      '--retries',
      '0',
      '--health-rise',
      '2',
      '--health-fall',
      '3',
      '--trust-proxy',
    ]);
    expect(c.backends.map((b) => b.weight)).toEqual([5, 1, 1]);
    expect(c.healthIntervalMs).toBe(500);
    expect(c.healthTimeoutMs).toBe(60_000);
    expect(c.upstreamTimeoutMs).toBe(5000);
    expect(c.retries).toBe(0);
    expect([c.healthRise, c.healthFall]).toEqual([2, 3]);
    expect(c.trustProxy).toBe(true);
  });

  it('drops a repeated origin', async () => {
    const c = await load(['--backends', 'http://a:1,http://a:1/=3']);
    expect(c.backends).toHaveLength(1);
  });

  it('flags override environment, environment overrides the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadex-config-'));
    const file = join(dir, 'loadex.yaml');
    writeFileSync(
      file,
      'backends:\n  - http://file:1\n  - url: http://file:2\n    weight: 4\nalgorithm: lc\nhealth-interval: 2s\nport: 7000\n',
    );
    const fromFile = await load(['--config', file]);
    expect(fromFile.backends.map((b) => `${b.url.origin}=${b.weight}`)).toEqual(['http://file:1=1', 'http://file:2=4']);
    expect(fromFile.algorithm).toBe('leastconnection');
    expect(fromFile.healthIntervalMs).toBe(2000);

    const withEnv = await load(['--config', file], { LOADEX_ALGO: 'ip', LOADEX_PORT: '7001' });
    expect(withEnv.algorithm).toBe('iphash');
    expect(withEnv.port).toBe(7001);

    const withFlag = await load(['--config', file, '--algo', 'rr'], { LOADEX_ALGO: 'ip', LOADEX_PORT: '7001' });
    expect(withFlag.algorithm).toBe('roundrobin');
    expect(withFlag.port).toBe(7001);

    const viaEnvFile = await load([], { LOADEX_CONFIG: file });
    expect(viaEnvFile.port).toBe(7000);
  });

  it('reads a JSON config file too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadex-config-'));
    const file = join(dir, 'loadex.json');
    writeFileSync(file, JSON.stringify({ backends: 'http://j:1=2', healthTimeout: '750ms' }));
    const c = await load(['--config', file]);
    expect(c.backends[0].weight).toBe(2);
    expect(c.healthTimeoutMs).toBe(750);
  });

  it.each([
    [[], /no backends/],
    [['--backends', ''], /no backends/],
    [['--backends', 'ftp://x:1'], /ftp/],
    [['--backends', 'localhost:8001'], /localhost:8001/],
    [['--backends', 'http://a:1=0'], /invalid weight "0".*integer from 1/],
    [['--backends', 'http://a:1=-2'], /invalid weight "-2"/],
    [['--backends', 'http://a:1=x'], /invalid weight "x"/],
    [['--backends', 'http://a:1', '--algo', 'fastest'], /unknown --algo "fastest".*roundrobin.*iphash/],
    [['--backends', 'http://a:1', '--health-interval', 'soon'], /--health-interval "soon".*500ms/],
    [['--backends', 'http://a:1', '--health-interval', '0s'], /--health-interval "0s"/],
    [['--backends', 'http://a:1', '--upstream-timeout', '-5s'], /--upstream-timeout "-5s"/],
    [['--backends', 'http://a:1', '--port', '70000'], /--port "70000".*0 to 65535/],
    [['--backends', 'http://a:1', '--port', 'abc'], /--port "abc"/],
    [['--backends', 'http://a:1', '--health-rise', '0'], /--health-rise "0"/],
    [['--backends', 'http://a:1', '--retries', '1.5'], /--retries "1.5"/],
    [['--backends', 'http://a:1', '--health-path', 'health'], /--health-path/],
    [['--backends', 'http://a:1', '--trust-proxy', 'maybe'], /--trust-proxy "maybe"/],
  ])('rejects %j with one line naming the value', async (argv, message) => {
    const error = await load(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('rejects an unknown key in a config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loadex-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'backends: http://a:1\nbogus: 1\n');
    await expect(load(['--config', file])).rejects.toThrow(/unknown setting "bogus"/);
  });

  it('rejects a config file that cannot be read', async () => {
    await expect(load(['--config', '/nonexistent/loadex.yaml'])).rejects.toThrow(/cannot read config file/);
  });

  it('rejects an unknown flag (commander)', () => {
    expect(() => readCommandLine(['--bogus', '1'], {}, '0')).toThrow(/unknown option/);
  });
});
