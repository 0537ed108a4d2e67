// `npm run soak -- --duration 30m`: constant load against the built balancer and five demo backends
// on 127.0.0.1, a fault from the chaos list injected every 20 s (in rotation, each undone before the
// next), one sample a second; writes soak-report.html (uPlot charts, inlined) and soak-report.json.
// Exits 1 when an invariant broke or RSS grew too much, 2 on bad arguments. See docs/performance.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ms from 'ms';
import {
  FAULT_NAMES,
  type FaultName,
  type FaultWindow,
  faultDuring,
  keepsInvariants,
  makeFault,
  type Victim,
} from '../test/support/chaos-faults';
import {
  deliveredWrites,
  type LoadResult,
  percentile,
  settledActiveCounters,
  settledRss,
  startLoad,
  writeViolations,
} from '../test/support/chaos-load';
import { httpRequest } from '../test/support/http';
import {
  BALANCER_MAIN,
  type DemoBackend,
  type RunningProcess,
  startBackend,
  startBalancer,
  stopAll,
} from '../test/support/processes';
import { startTcpRelay } from '../test/support/tcp-relay';
import { renderSoakReport, type SoakSample, type SoakSummary } from './soak-report';

const MiB = 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 2000;
const CLIENT_TIMEOUT_MS = 20_000;
const RSS_LIMIT_MiB = 30;
const BACKENDS = 5;

class UsageError extends Error {}

function duration(flag: string, text: string): number {
  const value = ms(text as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`invalid --${flag} "${text}": expected a duration like 90s, 2m or 30m`);
  }
  return value;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`invalid --${flag} "${text}": expected an integer from ${min} to ${max}`);
  return n;
}

/** Whether the built balancer knows outlier ejection yet (the `500` fault is only bounded with it). */
function balancerHasOutlierEjection(): boolean {
  const help = spawnSync(process.execPath, [BALANCER_MAIN, '--help'], { encoding: 'utf8' });
  return help.stdout.includes('--outlier-5xx');
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30m' },
      'fault-every': { type: 'string', default: '20s' },
      concurrency: { type: 'string', default: '64' },
      workers: { type: 'string', default: '1' },
      faults: { type: 'string' },
      out: { type: 'string', default: '.' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(
      'usage: tsx scripts/soak.ts [--duration 30m] [--fault-every 20s] [--concurrency 64] [--workers 1]\n' +
        `                          [--faults ${FAULT_NAMES.join(',')}] [--out DIR]\n`,
    );
    process.exit(0);
  }
  const outlier = balancerHasOutlierEjection();
  const faults = (values.faults ?? FAULT_NAMES.filter((f) => f !== '500' || outlier).join(','))
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of faults) {
    if (!(FAULT_NAMES as readonly string[]).includes(f)) {
      throw new UsageError(`invalid --faults "${f}": expected some of ${FAULT_NAMES.join(', ')}`);
    }
  }
  if (faults.includes('500') && !outlier) {
    throw new UsageError('--faults 500 needs a balancer with --outlier-5xx (outlier ejection)');
  }
  return {
    durationMs: duration('duration', values.duration),
    faultEveryMs: duration('fault-every', values['fault-every']),
    concurrency: integer('concurrency', values.concurrency, 1, 1000),
    workers: integer('workers', values.workers, 1, 64),
    faults: faults as FaultName[],
    out: resolve(values.out),
    outlier,
  };
}

/** Retries the balancer made and the ones its retry budget refused, from its /metrics. */
async function retryCounts(url: string): Promise<{ made: number; refused: number }> {
  const text = (await httpRequest(`${url}/metrics`, { timeoutMs: 5000 })).body;
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm'))].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  return { made: sum('golb_retries_total'), refused: sum('golb_retries_refused_total') };
}

/** The balancer's own numbers from its /metrics. */
async function scrape(url: string): Promise<{ rss: number; heap: number; lagP99: number }> {
  const text = (await httpRequest(`${url}/metrics`, { timeoutMs: 5000 })).body;
  const value = (name: string) => {
    const m = text.match(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm'));
    return m ? Number(m[1]) : NaN;
  };
  return {
    rss: value('process_resident_memory_bytes'),
    heap: value('nodejs_heap_size_used_bytes'),
    lagP99: value('nodejs_eventloop_lag_p99_seconds'),
  };
}

async function main(): Promise<number> {
  const options = readOptions();
  if (!existsSync(BALANCER_MAIN)) throw new UsageError(`${BALANCER_MAIN} is missing: run npm run build first`);
  mkdirSync(options.out, { recursive: true });
  const startedAt = new Date().toISOString();
  const log = (line: string) =>
    process.stdout.write(`[soak ${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
  const t0 = performance.now();

  const backends: DemoBackend[] = [];
  for (let i = 0; i < BACKENDS; i++) backends.push(await startBackend());
  const everyBackend: RunningProcess[] = [...backends];
  // The victim sits behind a TCP relay, so the black hole can cut it off like a partition.
  const relay = await startTcpRelay(backends[BACKENDS - 1].port);
  const victim: Victim = { backend: backends[BACKENDS - 1], relay };
  const urls = [...backends.slice(0, -1).map((b) => b.url), relay.url];
  const balancerArgs = [
    // One data-plane thread unless --workers says otherwise (docs/performance.md, Soak).
    '--workers',
    String(options.workers),
    '--algo',
    'roundrobin',
    '--upstream-timeout',
    `${UPSTREAM_TIMEOUT_MS}ms`,
    '--health-interval',
    '500ms',
    '--health-timeout',
    '500ms',
    ...(options.outlier ? ['--outlier-5xx', '5'] : []),
    '--backends',
    urls.join(','),
  ];
  const balancer = await startBalancer(balancerArgs);
  const pid = balancer.child.pid!;
  log(`balancer pid ${pid} on ${balancer.url}; faults ${options.faults.join(', ') || '(none)'}`);

  // Per second: what finished in it; overall: counts, the broken ones and every POST (delivery check).
  // A result is judged as it arrives: a fault window can only start after it (then it does not
  // overlap) or be the active one, whose end is not known yet (then it overlaps).
  let second: LoadResult[] = [];
  let brokenThisSecond = 0;
  let brokenTotal = 0;
  const posts: LoadResult[] = [];
  const byStatus: Record<string, number> = {};
  const broken: LoadResult[] = [];
  const latencies: number[] = [];
  let total = 0;
  let clientTimeouts = 0;
  const windows: FaultWindow[] = [];
  const fiveHundreds = new Map<FaultWindow, number>();
  const judge = (r: LoadResult) => {
    const fault = faultDuring(r, windows);
    if (fault === '500' && r.status === 500) {
      const w = [...windows].reverse().find((x) => x.name === '500')!;
      fiveHundreds.set(w, (fiveHundreds.get(w) ?? 0) + 1);
      return true;
    }
    return keepsInvariants(r, fault);
  };
  const onResult = (r: LoadResult) => {
    total++;
    const key = r.status ? String(r.status) : `error:${r.error}`;
    byStatus[key] = (byStatus[key] ?? 0) + 1;
    if (r.error === 'client-timeout') clientTimeouts++;
    if (r.method === 'POST') posts.push(r);
    if (latencies.length < 5_000_000) latencies.push(r.durationMs);
    if (!judge(r)) {
      brokenTotal++;
      brokenThisSecond++;
      if (broken.length < 10_000) broken.push(r);
    }
    second.push(r);
  };

  const load = startLoad(
    {
      url: balancer.url,
      concurrency: options.concurrency,
      maxRequests: Math.ceil(options.durationMs / 1000) * 50_000,
      maxDurationMs: options.durationMs,
      postShare: 0.1,
      clientTimeoutMs: CLIENT_TIMEOUT_MS,
      idPrefix: `soak${process.pid}`,
    },
    onResult,
  );
  const loadStart = performance.now();
  const now = () => performance.now() - loadStart;

  // One sample a second.
  const samples: SoakSample[] = [];
  let active: FaultWindow | undefined;
  const sampler = setInterval(() => {
    const these = second;
    second = [];
    const t = Math.round(now() / 1000);
    const errors = brokenThisSecond;
    brokenThisSecond = 0;
    scrape(balancer.url)
      .then((m) =>
        samples.push({
          t,
          rps: these.length,
          p99Ms: percentile(
            these.map((r) => r.durationMs),
            0.99,
          ),
          errors,
          rssMiB: m.rss / MiB,
          heapMiB: m.heap / MiB,
          eventLoopP99Ms: m.lagP99 * 1000,
          fault: active?.name ?? null,
        }),
      )
      .catch((err: unknown) => log(`scrape failed: ${(err as Error).message}`));
  }, 1000);

  // A fault every --fault-every: injected at the start of its slot, undone halfway through it.
  let slot = 1;
  const faults = options.faults;
  while (faults.length && (slot + 1) * options.faultEveryMs <= options.durationMs) {
    const at = slot * options.faultEveryMs;
    while (now() < at) await new Promise((r) => setTimeout(r, 50));
    const name = faults[(slot - 1) % faults.length];
    const fault = makeFault(name, victim);
    active = { name, startMs: now(), endMs: Infinity };
    windows.push(active);
    log(`fault ${name} on ${urls[BACKENDS - 1]}`);
    await fault.inject();
    while (now() < at + options.faultEveryMs / 2) await new Promise((r) => setTimeout(r, 50));
    const replacement = await fault.undo();
    if (!everyBackend.includes(replacement)) everyBackend.push(replacement);
    active.endMs = now() + UPSTREAM_TIMEOUT_MS + 1000;
    log(`fault ${name} undone`);
    active = undefined;
    slot++;
  }
  await load.done;
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 1100)); // the last scrape
  log(`load done: ${total} requests`);

  const activeAtEnd = await settledActiveCounters(balancer.url);
  const retries = await retryCounts(balancer.url);
  await new Promise((r) => setTimeout(r, 500)); // a resumed backend prints what it received
  const writes = writeViolations(posts, deliveredWrites(everyBackend));

  // RSS growth from the 5th minute (1/6 of a shorter run) to the end, after the load, with time to collect.
  const markS = Math.round(Math.min(5 * 60_000, options.durationMs / 6) / 1000);
  const atMark = samples.find((s) => s.t >= markS) ?? samples[0];
  const atMarkBytes = (atMark?.rssMiB ?? NaN) * MiB;
  const endBytes = await settledRss(pid, atMarkBytes, RSS_LIMIT_MiB * MiB);
  const growthMiB = (endBytes - atMarkBytes) / MiB;

  const fiveHundredBound = 5 * Math.ceil(options.concurrency / BACKENDS) + options.concurrency;
  const failures: string[] = [];
  if (brokenTotal) failures.push(`${brokenTotal} request(s) broke an invariant`);
  if (clientTimeouts) failures.push(`${clientTimeouts} request(s) hit the client's timeout`);
  if (writes.twice.length) failures.push(`${writes.twice.length} POST(s) delivered twice`);
  if (writes.answeredButNotDelivered.length)
    failures.push(`${writes.answeredButNotDelivered.length} POST(s) answered but never delivered`);
  if (Object.values(activeAtEnd).some((n) => n !== 0))
    failures.push(`active counters not back to 0: ${JSON.stringify(activeAtEnd)}`);
  if (!(growthMiB <= RSS_LIMIT_MiB))
    failures.push(`RSS grew ${growthMiB.toFixed(1)} MiB from ${markS} s to the end (limit ${RSS_LIMIT_MiB})`);
  for (const [w, count] of fiveHundreds) {
    if (count > fiveHundredBound)
      failures.push(`${count} 500s in the 500 fault at ${Math.round(w.startMs / 1000)} s (bound ${fiveHundredBound})`);
  }
  if (samples.length === 0) failures.push('no samples');

  const secondsOf = (msValue: number) => Math.round(msValue / 1000);
  const summary: SoakSummary = {
    passed: failures.length === 0,
    failures,
    startedAt,
    durationS: secondsOf(options.durationMs),
    settings: {
      concurrency: options.concurrency,
      faultEveryS: secondsOf(options.faultEveryMs),
      backends: BACKENDS,
      postShare: 0.1,
      balancer: balancerArgs.slice(0, -2).join(' '),
    },
    requests: {
      total,
      byStatus,
      posts: posts.length,
      rps: total / (options.durationMs / 1000),
      p99Ms: percentile(latencies, 0.99),
    },
    rss: { markS, atMarkMiB: atMarkBytes / MiB, endMiB: endBytes / MiB, growthMiB, limitMiB: RSS_LIMIT_MiB },
    invariants: {
      broken: brokenTotal,
      brokenExamples: broken
        .slice(0, 20)
        .map((r) => `${r.method} ${r.id} → ${r.status || r.error} at ${(r.startedMs / 1000).toFixed(1)} s`),
      clientTimeouts,
      writesDeliveredTwice: writes.twice.length,
      answeredButNotDelivered: writes.answeredButNotDelivered.length,
      activeAtEnd,
      fiveHundredsByWindow: [...fiveHundreds].map(([w, count]) => ({
        startS: secondsOf(w.startMs),
        count,
        bound: fiveHundredBound,
      })),
    },
    retries,
    faults: windows.map((w) => ({ name: w.name, startS: secondsOf(w.startMs), endS: secondsOf(w.endMs) })),
    samples,
  };
  writeFileSync(join(options.out, 'soak-report.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(options.out, 'soak-report.html'), renderSoakReport(summary));
  // The balancer's own log (warnings: every failed attempt with its phase and error), to explain a failure.
  writeFileSync(join(options.out, 'balancer.log'), balancer.output());
  await relay.close();
  await stopAll();
  log(
    `${summary.passed ? 'PASSED' : 'FAILED'}: ${total} requests, RSS ${summary.rss.atMarkMiB.toFixed(1)} → ${summary.rss.endMiB.toFixed(1)} MiB` +
      (failures.length ? ` — ${failures.join('; ')}` : ''),
  );
  log(`wrote ${join(options.out, 'soak-report.html')} and soak-report.json`);
  return summary.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    await stopAll().catch(() => undefined);
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`soak: ${(err as Error).message}\n`);
      process.exit(2);
    }
    process.stderr.write(`soak: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
