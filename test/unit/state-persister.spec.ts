import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ActiveAlgorithm, createAlgorithm } from '@loadex/algorithms';
import { ServerPool } from '@loadex/pool';
import { PoolChanges } from '../../apps/balancer/src/pool-changes/pool-changes';
import type { BalancerConfig } from '../../apps/balancer/src/config/balancer-config';
import * as stateFile from '../../apps/balancer/src/state/state-file';
import { StatePersister } from '../../apps/balancer/src/state/state-persister';
import { StateWriteError } from '../../apps/balancer/src/state/state-write-error';

/**
 * `StatePersister.flush()`, the group commit behind durable acknowledgements: every flush resolves
 * only once a write holding its change is on disk, writes never overlap, and a burst is grouped.
 * The real atomic write is used; the mock only counts the calls (and fails one on request).
 */
jest.mock('../../apps/balancer/src/state/state-file', () => {
  const actual = jest.requireActual<typeof stateFile>('../../apps/balancer/src/state/state-file');
  return { ...actual, writeFileAtomically: jest.fn(actual.writeFileAtomically) };
});
const write = stateFile.writeFileAtomically as jest.MockedFunction<typeof stateFile.writeFileAtomically>;

interface Saved {
  backends: Array<{ url: string; weight: number }>;
  algorithm: string;
}

describe('StatePersister.flush()', () => {
  let dir: string;
  let file: string;
  let pool: ServerPool;
  let changes: PoolChanges;
  let persister: StatePersister;
  let active = 0;
  let overlapped = false;

  const make = (stateFilePath: string | null) => {
    pool = new ServerPool();
    changes = new PoolChanges(pool);
    changes.onModuleInit();
    const algorithm = new ActiveAlgorithm(createAlgorithm('roundrobin'));
    persister = new StatePersister(pool, algorithm, changes, {
      stateFile: stateFilePath,
      backends: [],
    } as unknown as BalancerConfig);
    persister.onApplicationBootstrap();
  };
  const saved = () => JSON.parse(readFileSync(file, 'utf8')) as Saved;
  const urls = () => saved().backends.map((b) => b.url);

  beforeAll(() => Logger.overrideLogger(false)); // the failed write's error line is expected

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loadex-persister-'));
    file = join(dir, 'state.json');
    write.mockClear();
    active = 0;
    overlapped = false;
    const actual = jest.requireActual<typeof stateFile>('../../apps/balancer/src/state/state-file');
    write.mockImplementation(async (path, content) => {
      if (++active > 1) overlapped = true;
      try {
        await actual.writeFileAtomically(path, content);
      } finally {
        active--;
      }
    });
  });
  afterEach(async () => {
    await persister.beforeApplicationShutdown();
    changes.onModuleDestroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without --state-file resolves at once and writes nothing', async () => {
    make(null);
    pool.add(new URL('http://127.0.0.1:9001'));
    await persister.flush();
    expect(write).not.toHaveBeenCalled();
  });

  it('a burst of 50 changes, each awaited: every flush sees its change on disk, in a few writes', async () => {
    make(file);
    const flushed = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const url = `http://127.0.0.1:${9100 + i}`;
        pool.add(new URL(url));
        await persister.flush();
        return urls().includes(url);
      }),
    );
    expect(flushed.every(Boolean)).toBe(true);
    expect(urls()).toHaveLength(50);
    expect(write.mock.calls.length).toBeLessThanOrEqual(3);
    expect(overlapped).toBe(false);
  });

  it('a change made while a write is in flight waits for the next write, which holds it', async () => {
    make(file);
    pool.add(new URL('http://127.0.0.1:9201'));
    const first = persister.flush();
    pool.add(new URL('http://127.0.0.1:9202')); // the first write's content was taken already
    const second = persister.flush();
    await first;
    expect(urls()).toContain('http://127.0.0.1:9201');
    await second;
    expect(urls()).toEqual(['http://127.0.0.1:9201', 'http://127.0.0.1:9202']);
    expect(write).toHaveBeenCalledTimes(2);
    expect(overlapped).toBe(false);
    // Nothing unsaved: resolves without writing again.
    await persister.flush();
    expect(write).toHaveBeenCalledTimes(2);
  });

  it('a failed write rejects with a 500 naming the reason; the next flush writes the change', async () => {
    make(file);
    write.mockRejectedValueOnce(Object.assign(new Error('no space'), { code: 'ENOSPC' }));
    pool.add(new URL('http://127.0.0.1:9301'));
    const failed = persister.flush();
    await expect(failed).rejects.toBeInstanceOf(StateWriteError);
    await expect(failed).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(
        /cannot write state file .*state\.json: ENOSPC; the change is in effect but not saved/,
      ),
    });
    await persister.flush();
    expect(urls()).toEqual(['http://127.0.0.1:9301']);
  });
});
