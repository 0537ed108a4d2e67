import type { PoolChangeMessage, StatsSnapshot } from '@loadex/api';
import { waitFor } from '../support/http';
import {
  type Balancer,
  CLI_MAIN,
  type DemoBackend,
  startBackend,
  startBackends,
  startBalancer,
  stopAll,
} from '../support/processes';
import { runCli, startCli, stopAllCli } from '../support/cli';
import { shellQuote, TmuxSession } from './tmux';

/** The shell line tmux runs: the CLI in a real terminal, then its exit code and the tty's mode. */
function inTerminal(args: string[], env: Record<string, string> = {}): string {
  const vars = Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)} `);
  const cli = [process.execPath, CLI_MAIN, ...args].map(shellQuote).join(' ');
  return `unset NO_COLOR FORCE_COLOR; ${vars.join('')}${cli}; echo "loadex exited with $?"; stty -a | grep -o -- '-\\?icanon'; sleep 600`;
}

describe('loadex in a real terminal (tmux)', () => {
  let backends: DemoBackend[];
  let balancer: Balancer;
  let tmux: TmuxSession | undefined;

  beforeAll(async () => {
    backends = await startBackends(2);
    balancer = await startBalancer(['--backends', backends.map((b) => b.url).join(','), '--health-interval', '200ms']);
  });

  afterEach(() => {
    tmux?.kill();
    tmux = undefined;
  });

  afterAll(async () => {
    stopAllCli();
    await stopAll();
  });

  test('watch refreshes in place, shows a health transition live, and restores the terminal on Ctrl-C', async () => {
    tmux = new TmuxSession('watch');
    tmux.start(inTerminal(['--url', balancer.url, 'watch']));
    const [sick, other] = backends;
    const row = (url: string, health: string) => new RegExp(`│ ${url.replace(/\./g, '\\.')}\\s+│ ${health}\\s+│`);

    await tmux.waitForScreen(/loadex watch · http:\/\/127\.0\.0\.1:\d+ · algorithm roundrobin/);
    await tmux.waitForScreen(row(sick.url, 'healthy'));
    expect(tmux.display('#{alternate_on} #{cursor_flag}')).toBe('1 0'); // full screen, cursor hidden

    await sick.control({ healthy: false });
    const unhealthy = await tmux.waitForScreen(row(sick.url, 'unhealthy'));
    expect(unhealthy).toMatch(row(other.url, 'healthy'));
    await tmux.waitForScreen(new RegExp(`\\d\\d:\\d\\d:\\d\\d  ${sick.url.replace(/\./g, '\\.')} is now unhealthy`));

    await sick.control({ healthy: true });
    await tmux.waitForScreen(new RegExp(`${sick.url.replace(/\./g, '\\.')} is now healthy`));
    const healthyAgain = await tmux.waitForScreen(row(sick.url, 'healthy'));
    // one screen, refreshed in place: the heading appears exactly once
    expect(healthyAgain.match(/loadex watch ·/g)).toHaveLength(1);

    tmux.sendKeys('C-c');
    const after = await tmux.waitForScreen(/loadex exited with \d+\n(-?icanon)/);
    expect(after).toMatch(/loadex exited with 0\nicanon\b/); // exit 0, raw mode off (canonical mode back)
    expect(tmux.display('#{alternate_on} #{cursor_flag}')).toBe('0 1'); // normal screen, cursor shown
    expect(after).toMatch(/Recent changes/); // the last frame stays on the normal screen
  });

  test('watch quits on q as well', async () => {
    tmux = new TmuxSession('watch-q');
    tmux.start(inTerminal(['--url', balancer.url, 'watch']));
    await tmux.waitForScreen(/q or Ctrl-C to quit/);
    tmux.sendKeys('q');
    await tmux.waitForScreen(/loadex exited with 0\nicanon\b/);
    expect(tmux.display('#{alternate_on} #{cursor_flag}')).toBe('0 1');
  });

  test('on a terminal: the banner tops --help, tables are coloured; --no-color and NO_COLOR turn colour off', async () => {
    tmux = new TmuxSession('help');
    tmux.start(inTerminal(['--help']), 60); // tall enough for the banner and the whole help
    const help = await tmux.waitForScreen(/loadex exited with 0/);
    expect(help).toMatch(/\|_\|\\___\/ \\__,_\|\\__,_\|\\___\/_\/\\_\\/); // the ASCII banner
    expect(help).toMatch(/Usage: loadex \[options\] \[command\]/);
    tmux.kill();

    tmux = new TmuxSession('colour');
    tmux.start(inTerminal(['--url', balancer.url, 'health']));
    const coloured = await tmux.waitForScreen(/loadex exited with 0/, 20_000, true);
    expect(coloured).toContain('\u001b[32mhealthy'); // green
    tmux.kill();

    for (const [args, env] of [
      [['--url', balancer.url, '--no-color', 'health'], {}],
      [['--url', balancer.url, 'health'], { NO_COLOR: '1' }],
    ] as const) {
      tmux = new TmuxSession('plain');
      tmux.start(inTerminal([...args], env).replace('unset NO_COLOR FORCE_COLOR; ', 'unset FORCE_COLOR; '));
      const plain = await tmux.waitForScreen(/loadex exited with 0/, 20_000, true);
      expect(plain).toMatch(/│ healthy/);
      expect(plain).not.toContain('\u001b[3'); // no foreground colour
      tmux.kill();
    }
  });

  test('make-request on a terminal: a progress bar while it runs, cleared for the summary', async () => {
    tmux = new TmuxSession('progress');
    tmux.start(inTerminal(['--url', balancer.url, 'make-request', '--duration', '6s', '--concurrency', '2']));
    await tmux.waitForScreen(/[█░]{10,} \d+% \| \d\/6 s \| \d+ requests \| 0 failed/);
    const done = await tmux.waitForScreen(/loadex exited with \d+/, 60_000);
    expect(done).toMatch(/loadex exited with 0/);
    expect(done).toMatch(/^Sent \d+ GET requests to http:\/\/127\.0\.0\.1:\d+\/ \(concurrency 2\)/m);
    expect(done).toMatch(/Distribution per backend/);
    expect(done).not.toMatch(/\/6 s \|/); // the bar is gone
  });

  test('watch --json (piped): one JSON object per event, pool changes included; SIGINT ends it with 0', async () => {
    const extra = await startBackend();
    const watch = startCli(['--url', balancer.url, 'watch', '--json']);
    const events = () =>
      watch
        .stdout()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(
          (l) => JSON.parse(l) as { event: 'stats'; data: StatsSnapshot } | { event: 'pool'; data: PoolChangeMessage },
        );
    await waitFor(() => events().filter((e) => e.event === 'stats').length >= 2, 20_000);
    const added = await runCli(['--url', balancer.url, 'add-server', '-t', extra.url]);
    expect(added.code).toBe(0);
    await waitFor(() => events().some((e) => e.event === 'pool' && e.data.type === 'added'), 20_000);
    const pool = events().find((e) => e.event === 'pool');
    expect(pool?.data).toMatchObject({ type: 'added', backend: { url: extra.url } });
    await waitFor(
      () => events().some((e) => e.event === 'stats' && e.data.backends.some((b) => b.url === extra.url)),
      20_000,
    );
    watch.child.kill('SIGINT');
    const result = await watch.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    await runCli(['--url', balancer.url, 'remove-server', '-t', extra.url]);
  });

  test('watch piped into a reader that stops (`| head`): it ends quietly, no EPIPE stack trace', async () => {
    const watch = startCli(['--url', balancer.url, 'watch']);
    await waitFor(() => watch.stdout().split('\n').length > 2, 20_000);
    watch.child.stdout!.destroy(); // the reader has gone, like `head -2` exiting
    const result = await watch.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
