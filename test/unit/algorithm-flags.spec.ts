import { ActiveAlgorithm } from '@loadex/algorithms';
import { readCommandLine } from '../../apps/balancer/src/config/command-line';
import { ConfigError } from '../../apps/balancer/src/config/config-error';
import { loadConfig } from '../../apps/balancer/src/config/load-config';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  loadConfig(readCommandLine(['--backends', 'http://127.0.0.1:8001', ...argv], env, '0.0.0-test'));

/** --hash-key, --hash-balance-factor, --ewma-decay: checked by the registry, fed to the algorithm. */
describe('algorithm option flags', () => {
  it('default to the registry defaults', async () => {
    expect((await load([])).algorithmDefaults).toEqual({
      hash: { key: 'ip', balanceFactor: 0 },
      ewma: { decayMs: 10_000 },
    });
  });

  it('are read from flags and the environment and become the algorithm options at start and on a later switch', async () => {
    const c = await load(['--algo', 'hash', '--hash-key', 'cookie:sid', '--hash-balance-factor', '1.25'], {
      LOADEX_EWMA_DECAY: '2s',
    });
    expect(c.algorithmDefaults).toEqual({
      hash: { key: 'cookie:sid', balanceFactor: 1.25 },
      ewma: { decayMs: 2000 },
    });
    const active = new ActiveAlgorithm({ name: c.algorithm, defaults: c.algorithmDefaults });
    expect(active.options).toEqual({ key: 'cookie:sid', balanceFactor: 1.25 });
    expect(active.use('ewma')).toBe(true);
    expect(active.options).toEqual({ decayMs: 2000 });
    // Given options win over the configured ones, for that switch only.
    expect(active.use('hash', { key: 'path' })).toBe(true);
    expect(active.options).toEqual({ key: 'path', balanceFactor: 1.25 });
    expect(active.use('chash', { key: 'path' })).toBe(false);
    expect(active.use('hash')).toBe(true);
    expect(active.options).toEqual({ key: 'cookie:sid', balanceFactor: 1.25 });
  });

  it.each([
    [['--hash-key', 'body'], /^invalid --hash-key "body": expected ip, path, header:NAME, cookie:NAME or query:NAME$/],
    [['--hash-key', 'header:'], /^invalid --hash-key "header:"/],
    [['--hash-balance-factor', '0.5'], /^invalid --hash-balance-factor "0.5": expected 0 \(off\) or a number from 1/],
    [['--hash-balance-factor', 'lots'], /^invalid --hash-balance-factor "lots"/],
    [['--ewma-decay', 'slowly'], /^invalid --ewma-decay "slowly": expected an integer number of milliseconds/],
  ])('refuse %j with one line naming the value', async (argv, message) => {
    const error = await load(argv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
