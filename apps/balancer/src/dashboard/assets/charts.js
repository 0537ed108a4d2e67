/* global ResizeObserver */
/* The two time charts, drawn with uPlot (served by the balancer itself): requests/s per backend,
 * stacked, and latency p50/p95/p99, both over the last five minutes. */
import { colourOf, formatMs, formatRate, shortUrl } from './format.js';
import { HISTORY_SECONDS } from './state.js';

/** Past this many backends, the rest are drawn together as "others". */
const MAX_SERIES = 10;
const AXIS = '#a7b0c5';
const GRID = 'rgba(255, 255, 255, 0.07)';

function axes(format) {
  const common = {
    stroke: AXIS,
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, width: 1 },
    font: '12px system-ui, sans-serif',
  };
  return [
    { ...common, space: 55 },
    { ...common, size: 64, values: (_u, values) => values.map(format) },
  ];
}

function lastFiveMinutes(_u, _min, max) {
  const end = max ?? Date.now() / 1000;
  return [end - HISTORY_SECONDS, end];
}

/** A uPlot chart that follows its container's width. */
class ResponsiveChart {
  constructor(container, height) {
    this.container = container;
    this.height = height;
    this.plot = null;
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(container);
  }

  size() {
    return { width: Math.max(200, this.container.clientWidth), height: this.height };
  }

  build(options, data) {
    this.plot?.destroy();
    this.plot = new globalThis.uPlot({ ...this.size(), ...options }, data, this.container);
  }
}

/** Requests/s per backend, stacked: each band's height is one backend's rate. */
export class RatesChart extends ResponsiveChart {
  constructor(container) {
    super(container, 240);
    this.key = '';
    this.raw = [];
  }

  update(history, order) {
    const groups = this.groups(history, order);
    const times = history.times;
    // Stack bottom-up in pool order; draw the top of the stack first so each band keeps its colour.
    this.raw = groups.map((g) => g.values);
    const cumulative = [];
    let running = new Array(times.length).fill(0);
    for (const group of groups) {
      running = running.map((sum, i) => sum + (group.values[i] ?? 0));
      cumulative.push(running);
    }
    const data = [times, ...cumulative.slice().reverse()];
    const key = groups.map((g) => `${g.label}|${g.colour}`).join(',');
    if (key !== this.key || !this.plot) {
      this.key = key;
      const series = groups
        .map((group, index) => ({
          label: group.label,
          stroke: group.colour,
          fill: `${group.colour}66`,
          width: 1.5,
          points: { show: false },
          value: (_u, _v, _s, i) => formatRate(this.raw[index][i ?? this.raw[index].length - 1] ?? 0),
        }))
        .reverse();
      this.build(
        {
          scales: {
            x: { time: true, range: lastFiveMinutes },
            y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] },
          },
          axes: axes(formatRate),
          series: [{ label: 'time' }, ...series],
          legend: { show: true, live: true },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
        },
        data,
      );
    } else {
      this.plot.setData(data);
    }
  }

  /** The series to draw: one per backend in pool order, the rest summed into "others". */
  groups(history, order) {
    const urls = order.filter((url) => history.rates.has(url));
    for (const url of history.rates.keys()) if (!urls.includes(url)) urls.push(url);
    const shown = urls.length > MAX_SERIES ? urls.slice(0, MAX_SERIES - 1) : urls;
    const groups = shown.map((url) => ({
      label: shortUrl(url),
      colour: colourOf(url),
      values: history.rates.get(url),
    }));
    if (shown.length < urls.length) {
      const rest = urls.slice(shown.length).map((url) => history.rates.get(url));
      const values = history.times.map((_t, i) => rest.reduce((sum, series) => sum + (series[i] ?? 0), 0));
      groups.push({ label: `${rest.length} others`, colour: '#94a3b8', values });
    }
    return groups;
  }
}

/** Latency percentiles over the balancer's recent window, one point a second. */
export class LatencyChart extends ResponsiveChart {
  constructor(container) {
    super(container, 240);
  }

  update(history) {
    const data = [history.times, history.p50, history.p95, history.p99];
    if (!this.plot) {
      const line = (label, colour) => ({
        label,
        stroke: colour,
        width: 2,
        points: { show: false },
        // While the cursor is off the chart, the legend shows the latest point.
        value: (u, v, s, i) => formatMs(i === null || i === undefined ? u.data[s][u.data[s].length - 1] : v),
      });
      this.build(
        {
          scales: {
            x: { time: true, range: lastFiveMinutes },
            y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 1) * 1.15)] },
          },
          axes: axes(formatMs),
          series: [{ label: 'time' }, line('p50', '#34d399'), line('p95', '#fbbf24'), line('p99', '#f87171')],
          legend: { show: true, live: true },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
        },
        data,
      );
    } else {
      this.plot.setData(data);
    }
  }
}
