/* global document */
/* The Compare panel: the same comparison as `loadex compare`, from the browser. Choose a scenario
 * and algorithms, run bounded traffic through the proxy's `/` (same origin), and see a bar chart
 * per metric. Needs lab mode, and the page on the proxy port (it reads every answer). */
import { metricChart, spreadChart } from './compare-chart.js';
import { MAX_REQUESTS, runComparison, SCENARIOS } from './compare-run.js';
import { formatCount, formatMs, shortUrl } from './format.js';
import { toast } from './toasts.js';

const $ = (id) => document.getElementById(id);
const DEFAULT_CHECKED = new Set(['roundrobin', 'leastconnection', 'p2c', 'ewma']);

/** Why the panel cannot run here, or null when it can. */
function unavailableReason(settings) {
  if (!settings.lab) {
    return 'Needs lab mode: the comparison sets its scenario up on the demo backends through the lab relay. Start the balancer with --lab.';
  }
  if (settings.proxyPort !== null) {
    const port = settings.proxyPort ? `:${settings.proxyPort}` : ' (its --port)';
    return (
      `This page comes from the admin port (--admin-port), so it cannot read the answers of the proxy port${port}: ` +
      `they are another origin. Open the dashboard on the proxy port, or run loadex compare --proxy-url in a terminal.`
    );
  }
  return null;
}

export class ComparePanel {
  constructor() {
    this.form = $('compare-form');
    this.button = $('compare-btn');
    this.status = $('compare-status');
    this.results = $('compare-results');
    this.picker = $('compare-algorithms');
    this.running = null;
    $('compare-scenario').replaceChildren(
      ...Object.entries(SCENARIOS).map(([name, s]) => {
        const option = document.createElement('option');
        option.value = name;
        option.textContent = s.label;
        return option;
      }),
    );
    $('compare-count').max = String(MAX_REQUESTS);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (this.running) this.running.abort();
      else void this.run();
    });
  }

  /** Lab mode and the page's origin decide whether the panel can run; the note says why not. */
  setSettings(settings) {
    const reason = unavailableReason(settings);
    $('compare-note').textContent = reason ?? '';
    $('compare-note').hidden = reason === null;
    for (const control of this.form.elements) control.disabled = reason !== null;
    $('compare').dataset.available = String(reason === null);
  }

  /** One checkbox per registry entry (GET /api/algorithms), keeping what the user ticked. */
  setCatalog(catalog) {
    const ticked = new Set([...this.picker.querySelectorAll('input:checked')].map((i) => i.value));
    const keep = ticked.size > 0;
    const disabled = this.button.disabled;
    this.catalog = catalog;
    this.picker.replaceChildren(
      ...catalog.map((a) => {
        const label = document.createElement('label');
        label.className = 'compare-pick';
        label.title = a.description;
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.name = 'algorithm';
        input.value = a.name;
        input.checked = keep ? ticked.has(a.name) : DEFAULT_CHECKED.has(a.name);
        input.disabled = disabled;
        label.append(input, ` ${a.title ?? a.name}`);
        return label;
      }),
    );
  }

  async run() {
    const count = Number($('compare-count').value);
    if (!Number.isInteger(count) || count < 1 || count > MAX_REQUESTS) {
      toast('error', 'Compare', `Choose a whole number of requests from 1 to ${MAX_REQUESTS}.`);
      $('compare-count').focus();
      return;
    }
    const names = new Set([...this.picker.querySelectorAll('input:checked')].map((i) => i.value));
    const algorithms = (this.catalog ?? []).filter((a) => names.has(a.name));
    if (algorithms.length === 0) {
      toast('error', 'Compare', 'Tick at least one algorithm.');
      return;
    }
    const controller = new AbortController();
    this.running = controller;
    this.button.textContent = 'Stop';
    $('compare').dataset.state = 'running';
    try {
      const result = await runComparison({
        scenarioName: $('compare-scenario').value,
        algorithms,
        count,
        stop: controller.signal,
        onProgress: (text) => (this.status.textContent = text),
      });
      this.render(result, count);
      this.status.textContent = result.stopped
        ? `Stopped after ${result.rows.length} of ${algorithms.length} algorithms; everything is restored.`
        : `Done: ${formatCount(count)} requests through each of ${algorithms.length} algorithms; everything is restored.`;
      $('compare').dataset.state = 'done';
    } catch (err) {
      this.status.textContent = `Comparison failed: ${err.message}`;
      $('compare').dataset.state = 'failed';
      toast('error', 'Compare failed', err.message);
    } finally {
      this.running = null;
      this.button.textContent = 'Run comparison';
    }
  }

  render(result, count) {
    const rows = result.rows;
    const metric = (key) => rows.map((r) => ({ algorithm: r.algorithm, title: r.title, value: r[key] }));
    const load = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(2)}×`);
    const heading = document.createElement('p');
    heading.className = 'compare-scenario';
    heading.textContent = `${SCENARIOS[result.scenario].label} — ${result.description}. ${formatCount(count)} requests per algorithm, 4 in flight.`;
    const charts = document.createElement('div');
    charts.className = 'compare-charts';
    charts.append(
      metricChart('p50', 'p50 latency', '(the browser’s, to the end of the body)', metric('p50'), formatMs),
      metricChart('p95', 'p95 latency', '', metric('p95'), formatMs),
      metricChart('p99', 'p99 latency', '', metric('p99'), formatMs),
      metricChart('errors', 'Errors', '(HTTP ≥ 400 or no answer)', metric('errors'), formatCount),
      metricChart(
        'maxLoad',
        'max/mean load',
        '(busiest backend ÷ mean per backend; 1.00× is even)',
        metric('maxLoad'),
        load,
      ),
      spreadChart(rows, result.setup),
    );
    this.results.replaceChildren(heading, charts, this.table(rows, result.setup, load));
    this.results.hidden = false;
  }

  /** The numbers behind the bars. */
  table(rows, setup, load) {
    const table = document.createElement('table');
    table.className = 'compare-table';
    const head = table.createTHead().insertRow();
    for (const text of [
      'Algorithm',
      'p50',
      'p95',
      'p99',
      'Errors',
      ...setup.map((b) => `${shortUrl(b.url)}${b.singledOut ? ' *' : ''}`),
      'max/mean',
    ]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.algorithm = row.algorithm;
      const requests = new Map(row.backends.map((b) => [b.url, b.requests]));
      const cells = [row.title, formatMs(row.p50), formatMs(row.p95), formatMs(row.p99), formatCount(row.errors)];
      for (const b of setup) cells.push(formatCount(requests.get(b.url) ?? 0));
      cells.push(load(row.maxLoad));
      cells.forEach((text, i) => {
        const cell = i === 0 ? document.createElement('th') : tr.insertCell();
        if (i === 0) {
          cell.scope = 'row';
          tr.append(cell);
        }
        cell.textContent = text;
        if (i >= 5 && i < 5 + setup.length) cell.dataset.backend = setup[i - 5].url;
      });
    }
    return table;
  }
}
