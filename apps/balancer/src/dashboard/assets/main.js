/* global document, requestAnimationFrame */
/* The dashboard: loads the balancer's state once, then follows the live stream. No polling. */
import { bindAddNode } from './add-node.js';
import { getAlgorithm, getAlgorithms, getBackends, getSettings, getStats, setAlgorithm } from './api.js';
import { NodeCards, renderStats } from './cards.js';
import { LatencyChart, RatesChart } from './charts.js';
import { ComparePanel } from './compare.js';
import { DistributionDonut } from './donut.js';
import { algorithmLabel, formatCount, releaseColour, shortUrl } from './format.js';
import { InstancesPanel } from './instances.js';
import { connectLive } from './live.js';
import { bindNodeActions, busy } from './node-actions.js';
import { DashboardState } from './state.js';
import { toast } from './toasts.js';
import { MAX_REQUESTS, sendTraffic, trafficTarget } from './traffic.js';

const $ = (id) => document.getElementById(id);

const state = new DashboardState();
const cards = new NodeCards($('node-grid'), $('node-card-template'), $('nodes-empty'));
const rates = new RatesChart($('rates-chart'));
const latency = new LatencyChart($('latency-chart'));
const donut = new DistributionDonut($('donut'), $('donut-legend'));
const instances = new InstancesPanel($('instances'));
const compare = new ComparePanel();
let settings = { lab: false, proxyPort: null, version: '' };

// Render at most once a frame, whatever arrives.
let scheduled = false;
let chartsDirty = false;
state.subscribe((what) => {
  if (what === 'stats' || what === 'history') chartsDirty = true;
  if (what === 'algorithm') renderAlgorithm();
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    const backends = state.list();
    cards.render(backends);
    renderStats(backends, state.totals);
    donut.update(backends);
    if (chartsDirty) {
      chartsDirty = false;
      rates.update(
        state.history,
        backends.map((b) => b.url),
      );
      latency.update(state.history);
      // Where the charts begin (their first point), for the browser tests.
      const since = state.history.times[0];
      $('rates-chart').dataset.since = since === undefined ? '' : new Date(since * 1000).toISOString();
    }
  });
});

function renderAlgorithm() {
  const label = (name) => algorithmLabel(name, state.catalog);
  const current = state.catalog.find((a) => a.name === state.algorithm);
  $('algo-badge').textContent = label(state.algorithm);
  $('algo-explain').textContent = current?.description ?? '';
  const select = $('algo-select');
  select.title = current?.description ?? '';
  const names = state.catalog.length
    ? state.catalog.map((a) => a.name)
    : state.available.length
      ? state.available
      : state.algorithm
        ? [state.algorithm]
        : [];
  const shown = [...select.options].map((o) => `${o.value}:${o.textContent}`).join(',');
  if (shown !== names.map((name) => `${name}:${label(name)}`).join(',')) {
    select.replaceChildren(
      ...names.map((name) => {
        const option = document.createElement('option');
        option.value = name;
        option.textContent = label(name);
        option.title = state.catalog.find((a) => a.name === name)?.description ?? '';
        return option;
      }),
    );
  }
  if (document.activeElement !== select || select.value === state.algorithm) select.value = state.algorithm ?? '';
}

/** Reads everything once (start, reconnect, Manual Refresh). */
async function refresh() {
  const [backends, algorithm, stats, catalog] = await Promise.all([
    getBackends(),
    getAlgorithm(),
    getStats(),
    getAlgorithms(),
  ]);
  state.setCatalog(catalog);
  compare.setCatalog(catalog);
  state.setAlgorithm(algorithm.algorithm, algorithm.available);
  state.applyStats(stats);
  state.setBackends(backends);
}

function onPoolChange(change) {
  const name = change.backend ? shortUrl(change.backend.url) : '';
  switch (change.type) {
    case 'added':
      state.upsertBackend(change.backend);
      toast('info', `Node added: ${name}`, `weight ${change.backend.weight}`);
      break;
    case 'removed':
      state.removeBackend(change.backend.url);
      releaseColour(change.backend.url);
      toast('info', `Node removed: ${name}`);
      break;
    case 'weight':
      state.upsertBackend(change.backend);
      toast('info', `Weight of ${name} is now ${change.weight}`);
      break;
    case 'state':
      state.upsertBackend(change.backend);
      toast('info', `${name} is now ${change.state}`);
      break;
    case 'health':
      state.upsertBackend(change.backend);
      toast(change.healthy ? 'success' : 'warn', `${name} is ${change.healthy ? 'online' : 'offline'}`, change.reason);
      break;
    case 'algorithm':
      state.setAlgorithm(change.algorithm);
      toast('info', `Algorithm: ${algorithmLabel(change.algorithm, state.catalog)}`);
      break;
  }
}

function setLiveStatus(status) {
  const pill = $('live-pill');
  pill.dataset.status = status;
  pill.querySelector('.label').textContent =
    status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
}

async function start() {
  try {
    settings = await getSettings();
  } catch (err) {
    toast('error', 'Could not read the dashboard settings', err.message);
  }
  $('version').textContent = settings.version ? `v${settings.version}` : '';
  cards.setLab(settings.lab);
  document.body.classList.toggle('lab-mode', settings.lab);
  $('lab-badge').hidden = !settings.lab;
  compare.setSettings(settings);

  const live = connectLive({
    onHistory: (points) => state.applyHistory(points),
    onStats: (snapshot) => {
      state.applyStats(snapshot);
      instances.onStats(snapshot);
      // When the last snapshot was taken: shown on hover, and read by the browser tests.
      $('live-pill').dataset.snapshotAt = snapshot.at;
      $('live-pill').title = `Last update ${new Date(snapshot.at).toLocaleTimeString()}`;
    },
    onPool: onPoolChange,
    onStatus: setLiveStatus,
    onOpen: () => refresh().catch((err) => toast('error', 'Could not read the balancer', err.message)),
  });

  bindNodeActions($('node-grid'), state);
  bindAddNode($('add-btn'), state);

  $('refresh-btn').addEventListener('click', (event) =>
    busy(
      event.currentTarget,
      async () => {
        await refresh();
        live.reconnect();
        toast(
          'success',
          'Refreshed',
          `${state.backends.size} nodes, ${algorithmLabel(state.algorithm, state.catalog)}`,
        );
      },
      'Refresh failed',
    ),
  );

  $('algo-select').addEventListener('change', (event) => {
    const select = event.currentTarget;
    const wanted = select.value;
    void busy(
      select,
      async () => {
        const answer = await setAlgorithm(wanted);
        state.setAlgorithm(answer.algorithm, answer.available);
        toast(
          'success',
          `Switched to ${algorithmLabel(answer.algorithm, state.catalog)}`,
          'No request is dropped by the switch.',
        );
      },
      'Could not switch the algorithm',
    ).finally(renderAlgorithm);
  });

  const count = $('traffic-count');
  count.max = String(MAX_REQUESTS);
  $('traffic-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const n = Number(count.value);
    if (!Number.isInteger(n) || n < 1 || n > MAX_REQUESTS) {
      toast('error', 'Send Traffic', `Choose a whole number of requests from 1 to ${MAX_REQUESTS}.`);
      count.focus();
      return;
    }
    const target = trafficTarget(settings);
    if (!target) {
      toast(
        'error',
        'Send Traffic',
        'The proxy port is unknown (the balancer was started with --port 0 and --admin-port).',
      );
      return;
    }
    void busy(
      event.submitter ?? $('traffic-btn'),
      async () => {
        const result = await sendTraffic(target, n);
        const detail = [...result.statuses]
          .map(([status, times]) => `${formatCount(times)}× ${status === 'sent' ? 'sent' : `HTTP ${status}`}`)
          .concat(result.failed ? [`${formatCount(result.failed)} failed to connect`] : [])
          .join(', ');
        toast(result.failed ? 'warn' : 'success', `Sent ${formatCount(n)} requests`, detail);
        state.setBackends(await getBackends());
      },
      'Send Traffic failed',
    );
  });
}

void start();
