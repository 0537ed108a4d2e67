import { ALGORITHMS, type AlgorithmInfo } from '@loadex/algorithms';
import type { AlgorithmView } from '@loadex/api';
import { type Balancer, startBackends, startBalancer, stopAll } from '../support/processes';
import { algorithmView as getAlgorithm } from '../support/admin-api';
import { runCli, runCliJson, STACK_TRACE, stopAllCli } from '../support/cli';

/** `loadex algo NAME --option k=v` and `algo --list` against a real balancer. */
describe('loadex algo with options', () => {
  let balancer: Balancer;
  const cli = (args: string[]) => runCli(['--url', balancer.url, ...args]);
  const cliJson = <T>(args: string[]) => runCliJson<T>(['--url', balancer.url, ...args]);

  beforeAll(async () => {
    const backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
  });

  afterAll(async () => {
    stopAllCli();
    await stopAll();
  });

  test('algo NAME --option k=v switches with typed options; the view shows them', async () => {
    const switched = await cliJson<AlgorithmView>([
      'algo',
      'hash',
      '--option',
      'key=cookie:session',
      '-o',
      'balanceFactor=1.25',
    ]);
    expect(switched).toMatchObject({ algorithm: 'hash', options: { key: 'cookie:session', balanceFactor: 1.25 } });
    expect(await getAlgorithm(balancer.url)).toMatchObject({
      algorithm: 'hash',
      options: { key: 'cookie:session', balanceFactor: 1.25 },
    });

    const shown = await cli(['algo']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^algorithm: hash key=cookie:session balanceFactor=1\.25 \(available: /);

    const ewma = await cli(['algo', 'peak-ewma', '--option', 'decayMs=2500']);
    expect(ewma.code).toBe(0);
    expect(ewma.stdout).toMatch(/^algorithm switched to ewma decayMs=2500 \(available: /);
    expect((await getAlgorithm(balancer.url)).options).toEqual({ decayMs: 2500 });
  });

  test.each([
    [['algo', 'hash', '--option', 'balanceFactor=0.5'], /^loadex: --option: balanceFactor: expected 0 \(off\)/],
    [['algo', 'hash', '--option', 'key=body'], /^loadex: --option: key: expected ip, path, header:NAME/],
    [['algo', 'hash', '--option', 'factor'], /^loadex: --option: "factor": expected KEY=VALUE/],
    [
      ['algo', 'rr', '--option', 'key=ip'],
      /^loadex: --option: unknown option "key" for roundrobin: it takes no options/,
    ],
    [['algo', '--option', 'key=ip'], /^loadex: --option needs an algorithm name/],
  ])('%j is a usage error (exit 2, one line) and changes nothing', async (args, message) => {
    await cli(['algo', 'p2c']);
    const before = await getAlgorithm(balancer.url);
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(await getAlgorithm(balancer.url)).toEqual(before);
  });

  test('algo --list shows every registry entry with its sentence and option defaults; --help names every algorithm', async () => {
    const list = await cliJson<AlgorithmInfo[]>(['algo', '--list']);
    expect(list.map((a) => a.name)).toEqual(ALGORITHMS.map((a) => a.name));
    const human = await cli(['algo', '--list']);
    expect(human.code).toBe(0);
    for (const a of ALGORITHMS) expect(human.stdout).toContain(a.description);
    expect(human.stdout).toMatch(/^hash \(consistenthash, chash\) · options key=ip balanceFactor=0$/m);

    const help = await runCli(['algo', '--help']);
    const flat = help.stdout.replace(/\s+/g, ' ');
    for (const a of ALGORITHMS) expect(flat).toContain(a.name);
    expect(flat).toContain('hash: key, balanceFactor');
  });
});
