import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { AlgorithmView } from '@loadex/api';
import { waitFor } from '../support/http';
import { type DemoBackend, runBalancerToExit, startBackends, startBalancer, stopAll } from '../support/processes';

/** An algorithm's options are part of the durable state: saved with --state-file, restored at start. */
describe('--state-file keeps the algorithm options', () => {
  let dir: string;
  let backends: DemoBackend[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadex-algo-state-'));
    backends = await startBackends(2);
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('options switched at runtime survive a SIGKILL and win over the configured ones', async () => {
    const file = join(dir, 'state.json');
    const flags = ['--state-file', file, '--backends', backends.map((b) => b.url).join(','), '--hash-key', 'path'];
    let balancer = await startBalancer(flags);
    await request(balancer.url)
      .put('/api/algorithm')
      .send({ algorithm: 'hash', options: { key: 'header:x-user', balanceFactor: 1.5 } })
      .expect(200);
    await waitFor(() => {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as { algorithmOptions?: Record<string, unknown> };
        return saved.algorithmOptions?.key === 'header:x-user';
      } catch {
        return false;
      }
    });
    await balancer.stop('SIGKILL');

    balancer = await startBalancer(flags);
    const view = (await request(balancer.url).get('/api/algorithm').expect(200)).body as AlgorithmView;
    expect(view).toMatchObject({ algorithm: 'hash', options: { key: 'header:x-user', balanceFactor: 1.5 } });
    // A later switch without options takes the configured --hash-key again.
    await request(balancer.url).put('/api/algorithm').send({ algorithm: 'hash' }).expect(200);
    expect(((await request(balancer.url).get('/api/algorithm')).body as AlgorithmView).options).toEqual({
      key: 'path',
      balanceFactor: 0,
    });
    await balancer.stop();
  });

  it('a state file with options its algorithm refuses stops the start (exit 2, one line naming it)', async () => {
    const file = join(dir, 'bad-options.json');
    const text = JSON.stringify({
      version: 1,
      algorithm: 'hash',
      algorithmOptions: { key: 'body' },
      backends: [],
    });
    writeFileSync(file, text);
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
    const lines = output.split('\n').filter((l) => l.startsWith('loadbalancer: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /state file .*bad-options\.json is not a valid Loadex state: algorithmOptions: key: expected ip, path, header:NAME/,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
