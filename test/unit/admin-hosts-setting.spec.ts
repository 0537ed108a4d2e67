import { readCommandLine } from '../../apps/balancer/src/config/command-line';
import { ConfigError } from '../../apps/balancer/src/config/config-error';
import { loadConfig } from '../../apps/balancer/src/config/load-config';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  loadConfig(readCommandLine(['--backends', 'http://127.0.0.1:8001', ...argv], env, '0.0.0-test'));

describe('--admin-hosts / LOADEX_ADMIN_HOSTS', () => {
  it('is empty by default (IP literals and localhost only)', async () => {
    expect((await load([])).adminHosts).toEqual([]);
  });

  it('takes comma-separated names and .suffix entries, lower-cased; the flag beats the environment', async () => {
    expect((await load(['--admin-hosts', 'LB.example, .Internal.example,loadex'])).adminHosts).toEqual([
      'lb.example',
      '.internal.example',
      'loadex',
    ]);
    expect((await load([], { LOADEX_ADMIN_HOSTS: 'env.example' })).adminHosts).toEqual(['env.example']);
    expect((await load(['--admin-hosts', 'flag.example'], { LOADEX_ADMIN_HOSTS: 'env.example' })).adminHosts).toEqual([
      'flag.example',
    ]);
  });

  it.each(['lb.example:8080', 'http://lb.example', 'evil example', 'lb.example.', '.', '-lb.example', 'lb_x.example'])(
    'refuses %j with one message naming the value and what is accepted',
    async (value) => {
      const attempt = load(['--admin-hosts', `ok.example,${value}`]);
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(
        `invalid --admin-hosts "${value}": expected host names without port, like lb.example,.internal.example`,
      );
    },
  );
});
