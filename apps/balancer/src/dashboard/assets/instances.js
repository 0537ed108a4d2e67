/* global document */
/*
 * Replicas (`--store`): an instance selector (the cluster's sums, or one replica's own numbers)
 * and a health matrix (each replica's own health checks of every backend). Hidden without a store.
 * Refreshed from GET /api/instances when a live `stats` event carries cluster sums, at most every 2 s.
 */
import { api } from './api.js';
import { formatCount, formatMs, formatRate, shortUrl } from './format.js';

const REFRESH_MS = 2000;
const CLUSTER = '';

function cell(text, attrs = {}) {
  const td = document.createElement('td');
  td.textContent = text;
  for (const [key, value] of Object.entries(attrs)) td.dataset[key] = value;
  return td;
}

function row(cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function head(names) {
  const tr = document.createElement('tr');
  tr.append(
    ...names.map((name) => {
      const th = document.createElement('th');
      th.textContent = name;
      th.scope = 'col';
      return th;
    }),
  );
  return tr;
}

export class InstancesPanel {
  constructor(section) {
    this.section = section;
    this.select = section.querySelector('#instance-select');
    this.summary = section.querySelector('#instance-summary');
    this.traffic = section.querySelector('#instance-traffic');
    this.matrix = section.querySelector('#health-matrix');
    this.view = null;
    this.cluster = null;
    this.fetchedAt = 0;
    this.fetching = false;
    this.select.addEventListener('change', () => this.render());
  }

  /** Every live `stats` snapshot: shows the panel when there is a store, refreshes the replicas now and then. */
  onStats(snapshot) {
    if (!snapshot.cluster) {
      this.section.hidden = true;
      return;
    }
    this.section.hidden = false;
    this.cluster = snapshot.cluster;
    if (this.fetching || Date.now() - this.fetchedAt < REFRESH_MS) {
      this.render();
      return;
    }
    this.fetching = true;
    api('GET', '/api/instances')
      .then((view) => {
        this.view = view;
        this.fetchedAt = Date.now();
      })
      .catch(() => undefined)
      .finally(() => {
        this.fetching = false;
        this.render();
      });
  }

  render() {
    const instances = this.view?.instances ?? [];
    this.renderOptions(instances);
    const chosen = instances.find((i) => i.instance === this.select.value);
    if (chosen) this.renderInstance(chosen);
    else if (this.cluster) this.renderCluster(this.cluster);
    this.renderMatrix(instances);
  }

  renderOptions(instances) {
    const names = [CLUSTER, ...instances.map((i) => i.instance)];
    const current = [...this.select.options].map((o) => o.value);
    if (current.join('\n') === names.join('\n')) return;
    const wanted = this.select.value;
    this.select.replaceChildren(
      ...names.map((name) => {
        const option = document.createElement('option');
        option.value = name;
        const self = instances.find((i) => i.instance === name)?.self;
        option.textContent = name === CLUSTER ? 'Cluster (all instances)' : self ? `${name} (this one)` : name;
        return option;
      }),
    );
    this.select.value = names.includes(wanted) ? wanted : CLUSTER;
  }

  renderCluster(cluster) {
    const t = cluster.totals;
    this.summary.textContent = `${cluster.instances.length} instances · ${formatCount(t.requests)} requests · ${formatCount(t.errors)} errors · ${formatRate(t.rps)} req/s`;
    this.summary.dataset.requests = String(t.requests);
    this.traffic.replaceChildren(
      head(['Node', 'Healthy on', 'Requests', 'Errors', 'Req/s']),
      ...cluster.backends.map((b) =>
        row([
          cell(shortUrl(b.url)),
          cell(`${b.healthyOn}/${b.instances}`),
          cell(formatCount(b.requests), { field: 'requests', url: b.url }),
          cell(formatCount(b.errors)),
          cell(formatRate(b.rps)),
        ]),
      ),
    );
  }

  renderInstance(instance) {
    const t = instance.totals;
    this.summary.textContent = `${instance.instance} · ${formatCount(t.requests)} requests · ${formatCount(t.errors)} errors · ${formatRate(t.rps)} req/s · p95 ${formatMs(t.latency.p95)}`;
    this.summary.dataset.requests = String(t.requests);
    this.traffic.replaceChildren(
      head(['Node', 'Health', 'Requests', 'Errors', 'Req/s', 'p50', 'p95', 'p99']),
      ...instance.backends.map((b) =>
        row([
          cell(shortUrl(b.url)),
          cell(b.healthy ? 'healthy' : 'unhealthy', { health: b.healthy ? 'healthy' : 'unhealthy' }),
          cell(formatCount(b.requests), { field: 'requests', url: b.url }),
          cell(formatCount(b.errors)),
          cell(formatRate(b.rps)),
          cell(formatMs(b.latency.p50)),
          cell(formatMs(b.latency.p95)),
          cell(formatMs(b.latency.p99)),
        ]),
      ),
    );
  }

  renderMatrix(instances) {
    const urls = [...new Set(instances.flatMap((i) => i.backends.map((b) => b.url)))].sort();
    this.matrix.replaceChildren(
      head(['Node', ...instances.map((i) => i.instance)]),
      ...urls.map((url) =>
        row([
          cell(shortUrl(url)),
          ...instances.map((instance) => {
            const backend = instance.backends.find((b) => b.url === url);
            const health = backend ? (backend.healthy ? 'healthy' : 'unhealthy') : 'unknown';
            return cell(health === 'healthy' ? '●' : health === 'unhealthy' ? '○' : '—', {
              health,
              instance: instance.instance,
              url,
            });
          }),
        ]),
      ),
    );
  }
}
