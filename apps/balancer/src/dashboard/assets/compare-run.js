/* The compare lab's engine, as `loadex compare` does it (apps/cli/src/compare): set a scenario up on
 * the demo backends through lab mode, send the same bounded traffic through the balancer once per
 * algorithm (switched at runtime), measure, and put everything back. No DOM here. */
import { api, getAlgorithm, getBackends, getLabControl, getStats, setLabControl, updateBackend } from './api.js';

/** The header every request carries, and the key `hash` runs with (as the CLI's compare). */
export const KEY_HEADER = 'x-user';
const HOT_KEY = 'hot-user';
const BASE_LATENCY_MS = 5;
/** A browser allows six connections per host; the live stream takes one, the admin calls another. */
const CONCURRENCY = 4;
export const MAX_REQUESTS = 1000;
const REQUEST_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 3000;

const EVEN = { latencyMs: BASE_LATENCY_MS, failRate: 0, weight: 1 };

/** The same four scenarios as `loadex compare --scenario` (apps/cli/src/compare/compare-scenarios.ts). */
export const SCENARIOS = {
  skewed: {
    singlesOut: true,
    label: 'Skewed: one backend 10× slower',
    singledOut: { ...EVEN, latencyMs: 10 * BASE_LATENCY_MS },
    others: EVEN,
    hotKeyShare: 0,
    describe: (url) => `${url} answers in ${10 * BASE_LATENCY_MS} ms, the others in ${BASE_LATENCY_MS} ms`,
  },
  flaky: {
    singlesOut: true,
    label: 'Flaky: one backend fails 20 %',
    singledOut: { ...EVEN, failRate: 0.2 },
    others: EVEN,
    hotKeyShare: 0,
    describe: (url) => `${url} fails 20 % of its requests; every backend answers in ${BASE_LATENCY_MS} ms`,
  },
  uneven: {
    singlesOut: true,
    label: 'Uneven: weights 5, 1, 1…',
    singledOut: { ...EVEN, weight: 5 },
    others: EVEN,
    hotKeyShare: 0,
    describe: (url) => `${url} has weight 5, the others weight 1`,
  },
  'hot-key': {
    singlesOut: false,
    label: 'Hot key: 80 % share one key',
    singledOut: EVEN,
    others: EVEN,
    hotKeyShare: 0.8,
    describe: () => `80 % of requests share one ${KEY_HEADER} key, the rest have keys of their own`,
  },
};

const collator = new Intl.Collator('en', { numeric: true });
const byUrl = (a, b) => collator.compare(a.url, b.url);

/** Every backend's settings for the scenario; the first routable one by URL is singled out. */
export function planScenario(scenario, backends) {
  const sorted = [...backends].sort(byUrl);
  const routable = sorted.filter((b) => b.healthy && b.state === 'active');
  if (routable.length < 2) {
    throw new Error(
      `needs at least 2 healthy, active backends (the pool has ${routable.length} of ${backends.length})`,
    );
  }
  const special = scenario.singlesOut ? routable[0].url : undefined;
  return sorted.map((b) => ({
    url: b.url,
    singledOut: b.url === special,
    ...(b.url === special ? scenario.singledOut : scenario.others),
  }));
}

/** The `x-user` header of request `index`: the hot key for exactly `share` of them, evenly spread. */
function keyHeaders(share, index) {
  const hot = Math.floor((index + 1) * share) > Math.floor(index * share);
  return { [KEY_HEADER]: hot ? HOT_KEY : `user-${index}` };
}

/** Nearest-rank percentile of sorted latencies, or null. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** `count` GETs of `/` from CONCURRENCY workers; latency to the end of the body, failures counted. */
async function sendLoad(count, share, stop) {
  const latencies = [];
  let next = 0;
  let errors = 0;
  const worker = async () => {
    while (next < count && !stop.aborted) {
      const index = next++;
      const started = performance.now();
      try {
        const res = await fetch('/', {
          cache: 'no-store',
          credentials: 'omit',
          headers: keyHeaders(share, index),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        await res.arrayBuffer();
        if (res.status >= 400) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, count) }, worker));
  return { sent: latencies.length, errors, latencies: latencies.sort((a, b) => a - b) };
}

/** Stats once the balancer has counted at least `sent` more requests (bounded wait). */
async function settledStats(before, sent) {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const after = await getStats();
    if (after.totals.requests - before.totals.requests >= sent || performance.now() > deadline) return after;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Requests per backend between two snapshots, for the backends of the scenario, and max/mean load. */
function spread(setup, before, after) {
  const previous = new Map(before.backends.map((b) => [b.url, b.requests]));
  const now = new Map(after.backends.map((b) => [b.url, b.requests]));
  const backends = setup.map((b) => ({
    url: b.url,
    requests: Math.max(0, (now.get(b.url) ?? 0) - (previous.get(b.url) ?? 0)),
  }));
  const total = backends.reduce((sum, b) => sum + b.requests, 0);
  const maxLoad = total > 0 ? Math.max(...backends.map((b) => b.requests)) / (total / backends.length) : null;
  return { backends, maxLoad };
}

/** An algorithm that hashes on a request key (an option called `key`) hashes on `x-user` here. */
function comparisonOptions(algorithm) {
  return algorithm.options?.some((o) => o.name === 'key') ? { key: `header:${KEY_HEADER}` } : undefined;
}

/**
 * Runs one comparison. `algorithms` are registry entries (GET /api/algorithms); `onProgress(text)`
 * follows it. Resolves with { scenario, description, setup, rows, stopped }; whatever happens, the
 * backends' lab switches, their weights and the algorithm are restored before it settles.
 */
export async function runComparison({
  scenarioName,
  algorithms,
  count,
  onProgress,
  stop = new AbortController().signal,
}) {
  const scenario = SCENARIOS[scenarioName];
  if (!scenario) throw new Error(`unknown scenario ${scenarioName}`);
  const original = await getAlgorithm();
  const backends = await getBackends();
  const setup = planScenario(scenario, backends);
  const saved = [];
  const rows = [];
  let failure;
  try {
    for (const b of backends) {
      const control = await getLabControl(b.url);
      saved.push({ url: b.url, latencyMs: control.latencyMs, failRate: control.failRate, weight: b.weight });
    }
    onProgress('Setting the scenario up…');
    for (const b of setup) {
      await setLabControl(b.url, { latencyMs: b.latencyMs, failRate: b.failRate });
      if (saved.find((s) => s.url === b.url)?.weight !== b.weight) await updateBackend(b.url, { weight: b.weight });
    }
    for (const [i, algorithm] of algorithms.entries()) {
      if (stop.aborted) break;
      onProgress(`Running ${algorithm.title ?? algorithm.name} (${i + 1} of ${algorithms.length})…`);
      const view = await api('PUT', '/api/algorithm', {
        algorithm: algorithm.name,
        options: comparisonOptions(algorithm),
      });
      const before = await getStats();
      const load = await sendLoad(count, scenario.hotKeyShare, stop);
      const after = await settledStats(before, load.sent);
      rows.push({
        algorithm: view.algorithm,
        title: algorithm.title ?? algorithm.name,
        options: view.options ?? {},
        sent: load.sent,
        errors: load.errors,
        p50: percentile(load.latencies, 50),
        p95: percentile(load.latencies, 95),
        p99: percentile(load.latencies, 99),
        ...spread(setup, before, after),
      });
    }
  } catch (err) {
    failure = err;
  }
  onProgress('Restoring the backends and the algorithm…');
  const problems = await restore(original, saved);
  if (failure)
    throw problems.length ? new Error(`${failure.message}; and could not restore ${problems.join(', ')}`) : failure;
  if (problems.length) throw new Error(`could not restore ${problems.join(', ')}`);
  const special = setup.find((b) => b.singledOut)?.url ?? '';
  return {
    scenario: scenarioName,
    description: scenario.describe(special),
    setup,
    rows,
    stopped: rows.length < algorithms.length,
  };
}

async function restore(original, saved) {
  const problems = [];
  try {
    const options = Object.keys(original.options ?? {}).length ? original.options : undefined;
    await api('PUT', '/api/algorithm', { algorithm: original.algorithm, options });
  } catch (err) {
    problems.push(`the algorithm (${err.message})`);
  }
  let current;
  try {
    current = new Map((await getBackends()).map((b) => [b.url, b]));
  } catch (err) {
    problems.push(`the backends (${err.message})`);
    return problems;
  }
  for (const b of saved) {
    try {
      if (!current.has(b.url)) throw new Error('no longer in the pool');
      await setLabControl(b.url, { latencyMs: b.latencyMs, failRate: b.failRate });
      if (current.get(b.url).weight !== b.weight) await updateBackend(b.url, { weight: b.weight });
    } catch (err) {
      problems.push(`${b.url} (${err.message})`);
    }
  }
  return problems;
}
