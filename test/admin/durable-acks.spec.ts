import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { AlgorithmView, BackendView } from '@loadex/api';
import { httpRequest, type SimpleResponse } from '../support/http';
import { type Balancer, type DemoBackend, startBackend, startBalancer, stopAll } from '../support/processes';
import { poolShape } from '../support/admin-api';

/**
 * Durable acknowledgements: with --state-file an admin mutation is on disk before its 2xx. The
 * balancer is SIGKILLed at random moments during a stream of mutations, then restarted from the
 * same file: the file always parses and holds every change that was acknowledged.
 */

const ROUNDS = 20;
/** Mutations each stream sends per round at most (the kill usually comes first). */
const PER_STREAM = 40;
const ALGORITHMS = ['roundrobin', 'leastconnection', 'weightedroundrobin', 'iphash'] as const;

interface SavedState {
  algorithm: string;
  backends: Array<{ url: string; weight: number; state: string }>;
  removed: string[];
}

function mutation(url: string, method: string, path: string, body?: unknown): Promise<SimpleResponse> {
  return httpRequest(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    timeoutMs: 10_000,
  });
}

const ok = (r: SimpleResponse | undefined) => r !== undefined && r.status >= 200 && r.status < 300;

/** Answers that are neither a 2xx nor a connection cut by the kill: there must be none. */
const unexpected: string[] = [];
function acked(r: SimpleResponse | undefined, what: string): boolean {
  if (r !== undefined && !ok(r)) unexpected.push(`${what}: ${r.status} ${r.body}`);
  return ok(r);
}

describe('--state-file: no acknowledged change is lost', () => {
  let dir: string;
  let backend: DemoBackend;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'loadex-durable-'));
    backend = await startBackend();
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`SIGKILL at a random moment in a stream of mutations, ${ROUNDS} rounds: the file parses and holds every 2xx`, async () => {
    const file = join(dir, 'state.json');
    const flags = ['--state-file', file, '--health-interval', '1m', '--backends', backend.url];
    /** Backends whose add was acknowledged (and their weight), and those whose removal was. */
    const added = new Map<string, number>();
    const removed = new Set<string>();
    /** The last acknowledged algorithm switch, and the one sent after it (it may have landed too). */
    let algorithmAcked: string = 'roundrobin';
    let algorithmMaybe: string | undefined;
    /** A removal sent but not acknowledged when the kill came: it may or may not have landed. */
    let removeMaybe: string | undefined;
    let nextPort = 20_000;
    let acknowledged = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const balancer: Balancer = await startBalancer(flags);

      // The restart restored everything acknowledged before the last kill.
      const backends = (await request(balancer.url).get('/api/backends').expect(200)).body as BackendView[];
      const byUrl = new Map(backends.map((b) => [b.url, b]));
      for (const [url, weight] of added) {
        if (url === removeMaybe) continue;
        if (removed.has(url)) expect(byUrl.has(url)).toBe(false);
        else expect(byUrl.get(url)?.weight).toBe(weight);
      }
      if (removeMaybe !== undefined && !byUrl.has(removeMaybe)) removed.add(removeMaybe);
      removeMaybe = undefined;
      const algorithm = ((await request(balancer.url).get('/api/algorithm').expect(200)).body as AlgorithmView)
        .algorithm;
      expect([algorithmAcked, algorithmMaybe]).toContain(algorithm);
      // Start the round from what is really there, so a switch that landed unacknowledged counts as known.
      algorithmAcked = algorithm;
      algorithmMaybe = undefined;

      // Three sequential streams at once: adds, removals of earlier acknowledged adds, algorithm switches.
      let killed = false;
      const adds = async () => {
        for (let i = 0; i < PER_STREAM && !killed; i++) {
          const url = `http://127.0.0.1:${nextPort++}`;
          const weight = 1 + (i % 7);
          const r = await mutation(balancer.url, 'POST', '/api/backends', { url, weight }).catch(() => undefined);
          if (acked(r, `POST ${url}`)) {
            added.set(url, weight);
            acknowledged++;
          }
        }
      };
      const removals = async () => {
        const candidates = [...added.keys()].filter((url) => !removed.has(url)).slice(0, PER_STREAM);
        for (const url of candidates) {
          if (killed) break;
          removeMaybe = url;
          const r = await mutation(balancer.url, 'DELETE', `/api/backends?url=${encodeURIComponent(url)}`).catch(
            () => undefined,
          );
          if (!acked(r, `DELETE ${url}`)) break;
          removed.add(url);
          removeMaybe = undefined;
          acknowledged++;
        }
      };
      const switches = async () => {
        for (let i = 0; i < PER_STREAM && !killed; i++) {
          const next = ALGORITHMS[(round + i + 1) % ALGORITHMS.length];
          algorithmMaybe = next;
          const r = await mutation(balancer.url, 'PUT', '/api/algorithm', { algorithm: next }).catch(() => undefined);
          if (acked(r, `PUT ${next}`)) {
            algorithmAcked = next;
            algorithmMaybe = undefined;
            acknowledged++;
          }
        }
      };
      const streams = Promise.all([adds(), removals(), switches()]);
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 200)));
      killed = true;
      expect(await balancer.stop('SIGKILL')).toBe('SIGKILL');
      await streams;

      // Whatever moment the kill hit, the file is whole: valid JSON with every acknowledged change.
      // (It may not exist yet only if nothing was ever acknowledged.)
      if (!existsSync(file) && acknowledged === 0) continue;
      const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
      const savedUrls = new Map(saved.backends.map((b) => [b.url, b.weight]));
      for (const [url, weight] of added) {
        if (url === removeMaybe) continue;
        if (removed.has(url)) expect(savedUrls.has(url)).toBe(false);
        else expect(savedUrls.get(url)).toBe(weight);
      }
      expect([algorithmAcked, algorithmMaybe]).toContain(saved.algorithm);
    }
    // The kills did not all come before the first answer: the test saw acknowledged changes to check.
    expect(acknowledged).toBeGreaterThan(ROUNDS);
    expect(removed.size).toBeGreaterThan(0);
    expect(unexpected).toEqual([]);
  });

  it('a burst of 50 concurrent adds: every 201 is on disk when it arrives', async () => {
    const file = join(dir, 'burst.json');
    const balancer = await startBalancer(['--state-file', file, '--health-interval', '1m', '--backends', backend.url]);
    const urls = Array.from({ length: 50 }, (_, i) => `http://127.0.0.1:${30_000 + i}`);
    const onDiskAtAnswer = await Promise.all(
      urls.map(async (url) => {
        const r = await mutation(balancer.url, 'POST', '/api/backends', { url });
        expect(r.status).toBe(201);
        const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
        return saved.backends.some((b) => b.url === url);
      }),
    );
    expect(onDiskAtAnswer.every(Boolean)).toBe(true);
    await balancer.stop();
  });

  it('a write that fails answers 500 with the reason; the change is in effect and saved by the next write', async () => {
    const sub = join(dir, 'vanishing');
    mkdirSync(sub);
    const file = join(sub, 'state.json');
    const balancer = await startBalancer(['--state-file', file, '--health-interval', '1m', '--backends', backend.url]);
    const first = 'http://127.0.0.1:40001';
    const second = 'http://127.0.0.1:40002';
    await request(balancer.url).post('/api/backends').send({ url: first }).expect(201);

    rmSync(sub, { recursive: true, force: true });
    const failed = await request(balancer.url).post('/api/backends').send({ url: second, weight: 4 }).expect(500);
    expect(failed.body).toEqual({
      statusCode: 500,
      message: expect.stringMatching(
        /cannot write state file .*vanishing\/state\.json: ENOENT; the change is in effect but not saved/,
      ),
      error: 'Internal Server Error',
    });
    expect((await poolShape(balancer.url)).backends.map((b) => b.url)).toEqual([backend.url, first, second]);

    // The directory is back: the next mutation (even one that changes nothing) writes both.
    mkdirSync(sub);
    await request(balancer.url).post('/api/backends').send({ url: second }).expect(200);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedState;
    expect(saved.backends.map((b) => [b.url, b.weight])).toEqual([
      [backend.url, 1],
      [first, 1],
      [second, 4],
    ]);
    await balancer.stop();
  });
});
