import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/processes';

/**
 * The soak in CI: `tsx scripts/soak.ts --duration 120s` (constant load, a fault every 20 s: kill,
 * stop, flap, black hole, slow) must exit 0 and write both reports, with a sample a second.
 * The 30-minute run is `npm run soak -- --duration 30m` (docs/performance.md).
 */
const DURATION_S = 120;

describe('soak (2 minutes)', () => {
  let out: string;

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'loadex-soak-'));
  });
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it(
    'keeps every invariant and its RSS, and writes soak-report.html and soak-report.json',
    async () => {
      const child = spawn(
        join(ROOT, 'node_modules/.bin/tsx'),
        ['scripts/soak.ts', '--duration', `${DURATION_S}s`, '--out', out],
        {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      // Bounded: the run is 2 minutes plus start-up and the final checks.
      const timer = setTimeout(() => child.kill('SIGKILL'), (DURATION_S + 120) * 1000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      clearTimeout(timer);
      if (code !== 0) throw new Error(`soak exited ${code}:\n${output.slice(-4000)}`);

      const summary = JSON.parse(readFileSync(join(out, 'soak-report.json'), 'utf8')) as {
        passed: boolean;
        failures: string[];
        faults: Array<{ name: string }>;
        samples: Array<{ t: number; rps: number; rssMiB: number; heapMiB: number; eventLoopP99Ms: number }>;
        requests: { total: number };
      };
      expect(summary.passed).toBe(true);
      expect(summary.failures).toEqual([]);
      // A fault every 20 s from 20 s on, in rotation: the ones that start before the end.
      const rotation = ['kill', 'stop', 'flap', 'blackhole', 'slow', '500'];
      expect(summary.faults.map((f) => f.name)).toEqual(rotation.slice(0, Math.ceil(DURATION_S / 20) - 1));
      // A sample a second (a few may be lost to a scrape that timed out under a fault).
      expect(summary.samples.length).toBeGreaterThanOrEqual(DURATION_S * 0.9);
      for (const s of summary.samples) {
        expect(s.rssMiB).toBeGreaterThan(0);
        expect(s.heapMiB).toBeGreaterThan(0);
        expect(Number.isFinite(s.eventLoopP99Ms)).toBe(true);
      }
      expect(summary.requests.total).toBeGreaterThan(DURATION_S * 100);

      const html = readFileSync(join(out, 'soak-report.html'), 'utf8');
      expect(existsSync(join(out, 'soak-report.html'))).toBe(true);
      expect(html).toContain('uPlot');
      expect(html).not.toMatch(/<script[^>]+src=/i); // inlined, no CDN
      expect(html).not.toMatch(/<link[^>]+href=/i);
    },
    (DURATION_S + 180) * 1000,
  );
});
