/* global document */
/* The distribution donut: each backend's share of the requests since start, drawn as SVG. */
import { colourOf, formatCount, shortUrl } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const RADIUS = 60;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

function svg(tag, attributes) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

export class DistributionDonut {
  constructor(figure, legend) {
    this.figure = figure;
    this.legend = legend;
    this.key = '';
  }

  update(backends) {
    const total = backends.reduce((sum, b) => sum + b.requests, 0);
    const key = backends.map((b) => `${b.url}=${b.requests}`).join(',');
    if (key === this.key) return;
    this.key = key;

    const root = svg('svg', { viewBox: '0 0 160 160', class: 'donut-svg' });
    root.append(svg('circle', { cx: 80, cy: 80, r: RADIUS, class: 'donut-track' }));
    let offset = 0;
    const summary = [];
    for (const backend of backends) {
      if (!total || !backend.requests) continue;
      const length = (backend.requests / total) * CIRCUMFERENCE;
      root.append(
        svg('circle', {
          cx: 80,
          cy: 80,
          r: RADIUS,
          class: 'donut-slice',
          stroke: colourOf(backend.url),
          'stroke-dasharray': `${length} ${CIRCUMFERENCE - length}`,
          'stroke-dashoffset': -offset,
          transform: 'rotate(-90 80 80)',
        }),
      );
      offset += length;
      summary.push(`${shortUrl(backend.url)} ${Math.round((backend.requests / total) * 100)}%`);
    }
    const value = svg('text', { x: 80, y: 78, class: 'donut-total' });
    value.textContent = formatCount(total);
    const caption = svg('text', { x: 80, y: 98, class: 'donut-caption' });
    caption.textContent = 'requests';
    root.append(value, caption);
    this.figure.setAttribute(
      'aria-label',
      total ? `Share of ${total} requests: ${summary.join(', ')}` : 'No requests yet',
    );
    this.figure.replaceChildren(root);

    this.legend.replaceChildren(
      ...backends.map((backend) => {
        const item = document.createElement('li');
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.style.setProperty('--chip', colourOf(backend.url));
        const name = document.createElement('span');
        name.className = 'legend-name';
        name.textContent = shortUrl(backend.url);
        const share = document.createElement('span');
        share.className = 'legend-value';
        share.textContent = total ? `${Math.round((backend.requests / total) * 1000) / 10}%` : '—';
        item.append(chip, name, share);
        return item;
      }),
    );
  }
}
