import { readCommandLine } from '../../apps/balancer/src/config/command-line';
import { ConfigError } from '../../apps/balancer/src/config/config-error';
import { loadConfig } from '../../apps/balancer/src/config/load-config';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  loadConfig(readCommandLine(['--backends', 'http://127.0.0.1:8001', ...argv], env, '0.0.0-test'));

describe('--engine: the forwarding engine behind the UpstreamTransport seam', () => {
  it('is undici by default; hpm by flag or LOADEX_ENGINE; the flag wins', async () => {
    expect((await load([])).engine).toBe('undici');
    expect((await load(['--engine', 'hpm'])).engine).toBe('hpm');
    expect((await load([], { LOADEX_ENGINE: 'hpm' })).engine).toBe('hpm');
    expect((await load(['--engine', 'undici'], { LOADEX_ENGINE: 'hpm' })).engine).toBe('undici');
  });

  it('rejects anything else with one line naming the value and what is accepted', async () => {
    await expect(load(['--engine', 'nginx'])).rejects.toThrow(ConfigError);
    await expect(load(['--engine', 'nginx'])).rejects.toThrow('invalid --engine "nginx": expected undici or hpm');
  });
});
