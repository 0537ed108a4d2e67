import { readFileSync } from 'node:fs';
import { countByBackend, httpRequest, sendMany } from '../support/http';
import { type DemoBackend, startBackends, startBalancer, stopAll } from '../support/processes';

/** The command line the kernel has for a process (Linux). */
function commandLineOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

/**
 * V8's young generation is capped at start-up: a balancer started with plain `node main.js`
 * re-executes itself, in the same process, with `--max-semi-space-size=16` (and `MALLOC_ARENA_MAX=2`); an operator's own
 * setting is kept.
 */
describe('balancer V8 heap flags', () => {
  let backends: DemoBackend[];

  beforeAll(async () => {
    backends = await startBackends(2);
  });

  afterAll(async () => {
    await stopAll();
  });

  it('runs with the young generation capped, in the process that was started, and serves', async () => {
    const balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(',')]);
    const argv = commandLineOf(balancer.child.pid!);
    expect(argv).toContain('--max-semi-space-size=16');
    expect(readFileSync(`/proc/${balancer.child.pid!}/environ`, 'utf8').split('\0')).toContain('MALLOC_ARENA_MAX=2');
    expect(argv).toEqual(expect.arrayContaining(['--backends', backends.map((b) => b.url).join(',')]));
    const counts = countByBackend(await sendMany(20, 4, () => httpRequest(`${balancer.url}/`)));
    expect([...counts.values()]).toEqual([10, 10]);
    expect(await balancer.stop()).toBe(0);
  });

  it('with --workers 2, gives the main thread its start-up young generation back once the workers are up', async () => {
    const balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--workers', '2']);
    // The main thread's own heap, as prom-client's default metrics report it on /metrics.
    const newSpace = async (): Promise<number> => {
      const text = (await httpRequest(`${balancer.url}/metrics`)).body;
      const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_space_size_total_bytes{space="new"}'));
      return Number(line?.split(' ').pop());
    };
    // Start-up grows it to the 16 MiB semi-space cap (32 MiB); the trim a second later takes it to 1 MiB.
    let size = await newSpace();
    for (let i = 0; i < 50 && !(size <= 4 * 2 ** 20); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      size = await newSpace();
    }
    expect(size).toBeLessThanOrEqual(4 * 2 ** 20);
    const counts = countByBackend(await sendMany(20, 4, () => httpRequest(`${balancer.url}/`)));
    expect([...counts.values()]).toEqual([10, 10]);
    expect(await balancer.stop()).toBe(0);
  });

  it.each([
    ['NODE_OPTIONS', { NODE_OPTIONS: '--max-semi-space-size=32' }],
    ['NODE_OPTIONS with underscores', { NODE_OPTIONS: '--max_semi_space_size=8' }],
  ])("keeps the operator's own setting (%s)", async (_label, env) => {
    const balancer = await startBalancer(['--backends', backends[0].url], env);
    const argv = commandLineOf(balancer.child.pid!);
    expect(argv.some((arg) => /semi.space/.test(arg))).toBe(false);
    expect(await balancer.stop()).toBe(0);
  });
});
