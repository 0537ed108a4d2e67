import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { waitFor } from '../support/http';
import {
  type Balancer,
  type DemoBackend,
  runBalancerToExit,
  startBackends,
  startBalancer,
  stopAll,
} from '../support/processes';
import { poolShape } from '../support/admin-api';

describe('--state-file', () => {
  let dir: string;
  let backends: DemoBackend[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadex-state-'));
    backends = await startBackends(5);
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores added backends, weights, drain state, removals and the algorithm after a restart', async () => {
    const [a, b, c, d, e] = backends;
    const file = join(dir, 'state.json');
    const flags = (extra: string[] = []) => [
      '--state-file',
      file,
      '--backends',
      [a.url, b.url, e.url, ...extra].join(','),
    ];
    let balancer: Balancer = await startBalancer(flags());
    await request(balancer.url).post('/api/backends').send({ url: c.url, weight: 3 }).expect(201);
    await request(balancer.url).patch('/api/backends').send({ url: a.url, weight: 5 }).expect(200);
    await request(balancer.url).patch('/api/backends').send({ url: b.url, state: 'draining' }).expect(200);
    await request(balancer.url).delete('/api/backends').query({ url: e.url }).expect(200);
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'lc' }).expect(200);
    const expected = {
      algorithm: 'leastconnection',
      backends: [
        { url: a.url, weight: 5, state: 'active' },
        { url: b.url, weight: 1, state: 'draining' },
        { url: c.url, weight: 3, state: 'active' },
      ],
    };
    expect(await poolShape(balancer.url)).toEqual(expected);

    // Saved while running (not only at shutdown): the process is killed without a chance to flush.
    await waitFor(() => {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as { algorithm: string; removed: string[] };
        return saved.algorithm === 'leastconnection' && saved.removed.includes(e.url);
      } catch {
        return false;
      }
    });
    await balancer.stop('SIGKILL');
    expect(readdirSync(dir)).toEqual(['state.json']); // no temporary file left behind

    balancer = await startBalancer(flags());
    expect(await poolShape(balancer.url)).toEqual(expected);
    await balancer.stop();

    // A backend newly configured in the flags joins the restored pool; the removed one stays out.
    balancer = await startBalancer(flags([d.url]));
    expect(await poolShape(balancer.url)).toEqual({
      ...expected,
      backends: [...expected.backends, { url: d.url, weight: 1, state: 'active' }],
    });
    await balancer.stop();
  });

  it('starts from the state file alone (no --backends)', async () => {
    const file = join(dir, 'alone.json');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        algorithm: 'iphash',
        backends: [{ url: backends[0].url, weight: 2, state: 'active' }],
        removed: [],
      }),
    );
    const balancer = await startBalancer(['--state-file', file]);
    expect(await poolShape(balancer.url)).toEqual({
      algorithm: 'iphash',
      backends: [{ url: backends[0].url, weight: 2, state: 'active' }],
    });
    const res = await request(balancer.url).get('/').expect(200);
    expect(res.text).toContain(`localhost:${backends[0].port}`);
    await balancer.stop();
  });

  it.each([
    ['not JSON', '{"version": 1, "backends": [', /state file .*corrupt\.json is not valid JSON/],
    [
      'a bad backend URL',
      JSON.stringify({
        version: 1,
        algorithm: 'roundrobin',
        backends: [{ url: 'ftp://x', weight: 1, state: 'active' }],
      }),
      /state file .*corrupt\.json is not a valid Loadex state: backends\.0\.url: .*must use http: or https:/,
    ],
    [
      'an unknown algorithm',
      JSON.stringify({ version: 1, algorithm: 'fastest', backends: [] }),
      /state file .*corrupt\.json is not a valid Loadex state: algorithm: /,
    ],
    [
      'another version',
      JSON.stringify({ version: 2, algorithm: 'roundrobin', backends: [] }),
      /state file .*corrupt\.json is not a valid Loadex state: version: /,
    ],
  ])(
    'a state file with %s stops the start (exit 2, one line naming it), the file untouched',
    async (_n, text, message) => {
      const file = join(dir, 'corrupt.json');
      writeFileSync(file, text);
      const before = statSync(file).mtimeMs;
      const { code, output } = await runBalancerToExit([
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--state-file',
        file,
        '--backends',
        backends[0].url,
      ]);
      expect(code).toBe(2);
      expect(output.trim().split('\n')).toHaveLength(1);
      const line = output.trim();
      expect(line).toMatch(/^loadbalancer: /);
      expect(line).toMatch(message);
      expect(line).toContain(file);
      expect(output).not.toMatch(/listening on/);
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(statSync(file).mtimeMs).toBe(before);
    },
  );

  it('a state file that could never be written (no such directory) stops the start with one line naming it', async () => {
    const file = join(dir, 'no-such-dir', 'state.json');
    const { code, output } = await runBalancerToExit(['--port', '0', '--host', '127.0.0.1', '--state-file', file]);
    expect(code).toBe(2);
    expect(output).toBe(`loadbalancer: cannot create state file ${file}: its directory is not writable (ENOENT)\n`);
  });

  it('an unreadable state file (a directory) stops the start with a message naming it', async () => {
    const file = join(dir, 'a-directory.json');
    mkdirSync(file);
    const { code, output } = await runBalancerToExit(['--port', '0', '--host', '127.0.0.1', '--state-file', file]);
    expect(code).toBe(2);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toContain(`loadbalancer: cannot read state file ${file}: EISDIR`);
    expect(output).not.toMatch(/listening on/);
  });
});
