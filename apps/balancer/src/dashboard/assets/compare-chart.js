/* global document */
/* The compare lab's bar charts, drawn as inline SVG (nothing to load): one horizontal bar per
 * algorithm for a metric, and one stacked bar per algorithm for the requests per backend. */
import { colourOf, shortUrl } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 360;
const LABEL_WIDTH = 132;
const VALUE_WIDTH = 64;
const ROW = 24;
const BAR = 15;
const PAD = 6;

function svgElement(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function figure(metric, title, note, svg) {
  const element = document.createElement('figure');
  element.className = 'compare-chart';
  element.dataset.metric = metric;
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  if (note) {
    const small = document.createElement('small');
    small.textContent = ` ${note}`;
    caption.append(small);
  }
  element.append(caption, svg);
  return element;
}

function canvas(rows, label) {
  const height = rows * ROW + PAD * 2;
  return svgElement('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': label,
    preserveAspectRatio: 'xMinYMin meet',
  });
}

function rowLabel(svg, index, text) {
  svg.append(svgElement('text', { x: 0, y: PAD + index * ROW + BAR - 3, class: 'compare-label' }, text));
}

/**
 * One bar per row for a metric: `rows` are [{ algorithm, title, value }] (value null: no bar, "—"),
 * `format` turns a value into its label. The longest bar fills the width.
 */
export function metricChart(metric, title, note, rows, format) {
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const svg = canvas(rows.length, title);
  rows.forEach((row, i) => {
    rowLabel(svg, i, row.title);
    const width = row.value && max > 0 ? Math.max(2, (row.value / max) * span) : 0;
    const y = PAD + i * ROW;
    const bar = svgElement('rect', {
      x: LABEL_WIDTH,
      y,
      width: width.toFixed(1),
      height: BAR,
      rx: 3,
      class: 'compare-bar',
      'data-algorithm': row.algorithm,
      'data-value': row.value ?? '',
    });
    bar.append(svgElement('title', {}, `${row.title}: ${format(row.value)}`));
    svg.append(bar);
    svg.append(
      svgElement('text', { x: LABEL_WIDTH + width + 5, y: y + BAR - 3, class: 'compare-value' }, format(row.value)),
    );
  });
  return figure(metric, title, note, svg);
}

/** One stacked bar per algorithm: each backend's share of its requests, in the backend's colour. */
export function spreadChart(rows, setup) {
  const span = WIDTH - LABEL_WIDTH - 4;
  const svg = canvas(rows.length, 'Requests per backend');
  rows.forEach((row, i) => {
    rowLabel(svg, i, row.title);
    const total = row.backends.reduce((sum, b) => sum + b.requests, 0);
    let x = LABEL_WIDTH;
    for (const b of row.backends) {
      if (b.requests === 0 || total === 0) continue;
      const width = (b.requests / total) * span;
      const part = svgElement('rect', {
        x: x.toFixed(1),
        y: PAD + i * ROW,
        width: width.toFixed(1),
        height: BAR,
        fill: colourOf(b.url),
        class: 'compare-part',
        'data-algorithm': row.algorithm,
        'data-backend': b.url,
        'data-value': b.requests,
      });
      part.append(svgElement('title', {}, `${row.title}: ${b.requests} to ${shortUrl(b.url)}`));
      svg.append(part);
      x += width;
    }
  });
  const legend = document.createElement('ul');
  legend.className = 'compare-legend';
  for (const b of setup) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'compare-swatch';
    swatch.style.background = colourOf(b.url);
    item.append(swatch, `${shortUrl(b.url)}${b.singledOut ? ' *' : ''}`);
    legend.append(item);
  }
  const element = figure('backends', 'Requests per backend', '(the balancer’s counters; * singled out)', svg);
  element.append(legend);
  return element;
}
