/* What the page knows about the balancer, merged from GET /api/backends, the live `stats`
 * snapshots and the live `pool` changes. The UI renders from here and nowhere else. */

/** How many one-second points the charts keep: five minutes. */
export const HISTORY_SECONDS = 300;

function emptyLatency() {
  return { p50: null, p95: null, p99: null };
}

/** A BackendView (REST) as the page's record of a backend. */
function fromView(view, previous) {
  return {
    url: view.url,
    weight: view.weight,
    healthy: view.healthy,
    state: view.state,
    activeRequests: view.activeRequests,
    requests: view.totalRequests,
    // `errors` (stats: 5xx answers and failed attempts) is kept once known; until the first
    // snapshot, the view's failed attempts are the best there is.
    errors: previous?.statsSeen ? previous.errors : view.failures,
    rps: previous?.rps ?? 0,
    latency: previous?.latency ?? emptyLatency(),
    outlier: view.outlier ?? null,
    statsSeen: previous?.statsSeen ?? false,
  };
}

function fromStats(stats) {
  return {
    url: stats.url,
    weight: stats.weight,
    healthy: stats.healthy,
    state: stats.state,
    activeRequests: stats.activeRequests,
    requests: stats.requests,
    errors: stats.errors,
    rps: stats.rps,
    latency: stats.latency ?? emptyLatency(),
    outlier: stats.outlier ?? null,
    statsSeen: true,
  };
}

/** Per-second request rates per backend and total latency percentiles, for the charts. */
class History {
  constructor() {
    this.times = [];
    this.rates = new Map(); // url → requests/s per point (null where the backend was unknown)
    this.p50 = [];
    this.p95 = [];
    this.p99 = [];
    this.previous = null; // { t, counts: Map(url → requests) }
  }

  push(snapshot) {
    const t = Date.parse(snapshot.at) / 1000;
    const counts = new Map(snapshot.backends.map((b) => [b.url, b.requests]));
    const previous = this.previous;
    if (previous && !(t > previous.t)) return false; // an older snapshot than the last one
    this.previous = { t, counts };
    if (!previous) return false;
    const dt = t - previous.t;

    const length = this.times.length;
    this.times.push(t);
    for (const [url, requests] of counts) {
      let series = this.rates.get(url);
      if (!series) {
        series = new Array(length).fill(null);
        this.rates.set(url, series);
      }
      const before = previous.counts.get(url);
      series.push(before === undefined ? 0 : Math.max(0, requests - before) / dt);
    }
    for (const [url, series] of this.rates) {
      if (!counts.has(url)) series.push(null);
      if (series.every((v) => v === null)) this.rates.delete(url);
    }
    const latency = snapshot.totals.latency ?? emptyLatency();
    this.p50.push(latency.p50);
    this.p95.push(latency.p95);
    this.p99.push(latency.p99);

    while (this.times.length > 0 && this.times[0] < t - HISTORY_SECONDS) {
      this.times.shift();
      this.p50.shift();
      this.p95.shift();
      this.p99.shift();
      for (const series of this.rates.values()) series.shift();
    }
    return true;
  }

  forget(url) {
    this.rates.delete(url);
  }
}

/**
 * The page's model; `subscribe(fn)` is told `(what)` after each change: "backends", "stats",
 * "history", "algorithm".
 */
export class DashboardState {
  constructor() {
    this.backends = new Map();
    this.algorithm = null;
    this.available = [];
    /** The registry (GET /api/algorithms): name, title, aliases, description, options. */
    this.catalog = [];
    this.totals = null;
    this.history = new History();
    this.listeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
  }

  notify(what) {
    for (const listener of this.listeners) listener(what);
  }

  /** The backends in pool order. */
  list() {
    return [...this.backends.values()];
  }

  /** GET /api/backends: the full list (membership is authoritative). */
  setBackends(views) {
    const next = new Map();
    for (const view of views) next.set(view.url, fromView(view, this.backends.get(view.url)));
    for (const url of this.backends.keys()) if (!next.has(url)) this.history.forget(url);
    this.backends = next;
    this.notify('backends');
  }

  /** One BackendView changed (a mutation's answer or a pool event). */
  upsertBackend(view) {
    this.backends.set(view.url, fromView(view, this.backends.get(view.url)));
    this.notify('backends');
  }

  removeBackend(url) {
    if (!this.backends.delete(url)) return;
    this.history.forget(url);
    this.notify('backends');
  }

  /** GET /api/algorithms: what the select offers and how each one chooses. */
  setCatalog(catalog) {
    this.catalog = catalog;
    this.notify('algorithm');
  }

  setAlgorithm(algorithm, available) {
    if (available) this.available = available;
    if (algorithm === this.algorithm && !available) return;
    this.algorithm = algorithm;
    this.notify('algorithm');
  }

  /** The `history` event: the balancer's recent one-second points, oldest first, for the charts. */
  applyHistory(points) {
    let added = false;
    for (const point of points) if (this.history.push(point)) added = true;
    if (added) this.notify('history');
  }

  /** A StatsSnapshot (GET /api/stats or the `stats` event): totals, every backend, one chart point. */
  applyStats(snapshot) {
    const next = new Map();
    for (const stats of snapshot.backends) next.set(stats.url, fromStats(stats));
    for (const url of this.backends.keys()) if (!next.has(url)) this.history.forget(url);
    this.backends = next;
    this.totals = snapshot.totals;
    this.history.push(snapshot);
    if (snapshot.algorithm && snapshot.algorithm !== this.algorithm) {
      this.algorithm = snapshot.algorithm;
      this.notify('algorithm');
    }
    this.notify('stats');
  }
}
