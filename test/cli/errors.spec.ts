import type { BackendView } from '@loadex/api';
import {
  type Balancer,
  type DemoBackend,
  startBackend,
  startBackends,
  startBalancer,
  stopAll,
} from '../support/processes';
import { backendViews } from '../support/admin-api';
import { runCli, STACK_TRACE, stopAllCli } from '../support/cli';
import { freePort } from '../support/free-port';

afterAll(async () => {
  stopAllCli();
  await stopAll();
});

describe('exit codes and one-line failures without a balancer', () => {
  test('an unreachable balancer: exit 1, one line naming the URL and the reason', async () => {
    const port = await freePort();
    for (const command of [['health'], ['info'], ['stats'], ['make-request', '-c', '5'], ['watch'], ['algo', 'rr']]) {
      const result = await runCli(['--url', `http://127.0.0.1:${port}`, ...command]);
      expect({ command, code: result.code }).toEqual({ command, code: 1 });
      expect(result.stderr).toBe(`loadex: cannot reach http://127.0.0.1:${port} (connection refused)\n`);
      expect(result.stdout).toBe('');
    }
  });

  test('a bad --url, LOADEX_URL or --target is a usage error: exit 2', async () => {
    const badUrl = await runCli(['--url', 'localhost:8080', 'health']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(
      /^loadex: option '-u, --url <url>' argument 'localhost:8080' is invalid\. expected an http/,
    );

    const badEnv = await runCli(['health'], { LOADEX_URL: 'ftp://example.com' });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/LOADEX_URL.*is invalid/);

    const badTarget = await runCli(['--url', 'http://127.0.0.1:9', 'add-server', '-t', 'not a url']);
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr).toMatch(/^loadex: option '-t, --target <url>' argument 'not a url' is invalid/);
  });

  test.each([
    [['nope'], /^loadex: unknown command 'nope'/],
    [['--bogus', 'health'], /^loadex: unknown option '--bogus'/],
    [['health', '--bogus'], /^loadex: unknown option '--bogus'/],
    [['add-server'], /^loadex: required option '-t, --target <url>' not specified/],
    [['weight', '-t', 'http://127.0.0.1:9'], /^loadex: required option '-w, --weight <n>' not specified/],
    [['weight', '-t', 'http://127.0.0.1:9', '-w', '0'], /argument '0' is invalid\. expected an integer from 1 to 1000/],
    [['make-request', '-c', 'lots'], /argument 'lots' is invalid\. expected a positive integer/],
    [['make-request', '--c', '1.5'], /argument '1\.5' is invalid\. expected a positive integer/],
    [['make-request', '--duration', '30'], /argument '30' is invalid\. expected a duration like/],
    [['make-request', '--path', 'no-slash'], /expected a path starting with \//],
  ])('usage error %j: exit 2, one line, no stack trace', async (args, message) => {
    const result = await runCli(['--url', 'http://127.0.0.1:9', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout).toBe('');
  });

  test('--help and no arguments: every command described, exit 0; no banner when piped', async () => {
    for (const args of [['--help'], []]) {
      const result = await runCli(args);
      expect(result.code).toBe(0);
      for (const command of [
        'health',
        'make-request',
        'add-server',
        'remove-server',
        'drain',
        'undrain',
        'weight',
        'algo',
        'info',
        'stats',
        'watch',
      ]) {
        expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
      expect(result.stdout).toMatch(/-u, --url <url>/);
      expect(result.stdout).toMatch(/--token <token>/);
      expect(result.stdout).toMatch(/--json/);
      expect(result.stdout).toMatch(/--no-color/);
      expect(result.stdout).not.toMatch(/\|_\|/); // the banner is for terminals only
    }
    const sub = await runCli(['make-request', '--help']);
    expect(sub.code).toBe(0);
    for (const option of [
      '-c, --count <n>',
      '--c <n>',
      '--concurrency <k>',
      '--duration <time>',
      '--path <path>',
      '--method <method>',
    ]) {
      expect(sub.stdout).toContain(option);
    }
    const viaHelpCommand = await runCli(['help', 'add-server']);
    expect(viaHelpCommand.code).toBe(0);
    expect(viaHelpCommand.stdout).toMatch(/-t, --target <url>/);
    expect(viaHelpCommand.stdout).toMatch(/-w, --weight <n>/);
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });
});

describe('a URL that is not a Loadex balancer', () => {
  let backend: DemoBackend;
  beforeAll(async () => {
    backend = await startBackend();
  });

  test('a demo backend has no admin routes: exit 1 with a hint, not a parse error', async () => {
    for (const command of ['health', 'stats', 'info']) {
      const result = await runCli(['--url', backend.url, command]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^loadex: GET \/api\/\w+ on http:\/\/127\.0\.0\.1:\d+ .*: is this a Loadex balancer with the admin API\?\n$/,
      );
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
  });
});

describe('401 and 403 from the admin API', () => {
  let backends: DemoBackend[];
  let withToken: Balancer;
  let allowOther: Balancer;
  let extra: DemoBackend;

  beforeAll(async () => {
    backends = await startBackends(2);
    extra = await startBackend();
    const list = backends.map((b) => b.url).join(',');
    withToken = await startBalancer(['--backends', list, '--admin-token', 's3cret-token']);
    allowOther = await startBalancer(['--backends', list, '--admin-allow', '127.0.0.2/32']);
  });

  const inPool = async (balancer: Balancer) =>
    (await backendViews(balancer.url)).some((b: BackendView) => b.url === extra.url);

  test('with --admin-token: a mutation without or with a wrong token is 401 (exit 1), with the token it works', async () => {
    const none = await runCli(['--url', withToken.url, 'add-server', '-t', extra.url]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('loadex: missing or wrong admin token: send Authorization: Bearer <token> (HTTP 401)\n');

    const wrong = await runCli(['--url', withToken.url, '--token', 'guess', 'add-server', '-t', extra.url]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/\(HTTP 401\)\n$/);
    expect(await inPool(withToken)).toBe(false);

    const right = await runCli(['--url', withToken.url, '--token', 's3cret-token', 'add-server', '-t', extra.url]);
    expect(right.code).toBe(0);
    expect(await inPool(withToken)).toBe(true);

    const fromEnv = await runCli(['--url', withToken.url, 'remove-server', '-t', extra.url], {
      LOADEX_ADMIN_TOKEN: 's3cret-token',
    });
    expect(fromEnv.code).toBe(0);
    expect(await inPool(withToken)).toBe(false);

    const read = await runCli(['--url', withToken.url, 'health']); // reads stay open
    expect(read.code).toBe(0);
  });

  test('outside --admin-allow: a mutation is 403 (exit 1) with the API message', async () => {
    const result = await runCli(['--url', allowOther.url, 'drain', '-t', backends[0].url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^loadex: admin changes are not accepted from .*127\.0\.0\.1.* \(HTTP 403\)\n$/);
    expect((await backendViews(allowOther.url)).every((b) => b.state === 'active')).toBe(true);
  });
});
