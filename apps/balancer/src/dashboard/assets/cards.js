/* global document */
/* Node cards (one per backend) and the stat cards, updated in place so focus and typing survive
 * the live updates. */
import { colourOf, formatCount, formatMs, formatRate, shortUrl } from './format.js';

function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

export class NodeCards {
  constructor(grid, template, empty) {
    this.grid = grid;
    this.template = template;
    this.empty = empty;
    this.cards = new Map();
    this.lab = false;
  }

  render(backends) {
    const total = backends.reduce((sum, b) => sum + b.requests, 0);
    const seen = new Set();
    backends.forEach((backend, index) => {
      seen.add(backend.url);
      let card = this.cards.get(backend.url);
      if (!card) {
        card = this.create(backend);
        this.cards.set(backend.url, card);
      }
      if (this.grid.children[index] !== card) this.grid.insertBefore(card, this.grid.children[index] ?? null);
      this.fill(card, backend, total);
    });
    for (const [url, card] of this.cards) {
      if (!seen.has(url)) {
        card.remove();
        this.cards.delete(url);
      }
    }
    this.empty.hidden = backends.length > 0;
  }

  create(backend) {
    const card = this.template.content.firstElementChild.cloneNode(true);
    card.dataset.url = backend.url;
    card.style.setProperty('--node-colour', colourOf(backend.url));
    const title = card.querySelector('.node-url');
    title.textContent = shortUrl(backend.url);
    title.title = backend.url;
    const id = `node-${this.cards.size}-${Math.random().toString(36).slice(2, 8)}`;
    title.id = id;
    card.setAttribute('aria-labelledby', id);
    for (const input of card.querySelectorAll('input')) {
      input.id = `${id}-${input.name}`;
      const label = card.querySelector(`label[data-for="${input.name}"]`);
      if (label) label.htmlFor = input.id;
    }
    card.querySelector('.lab').hidden = !this.lab;
    return card;
  }

  fill(card, backend, total) {
    const field = (name) => card.querySelector(`[data-field="${name}"]`);
    const online = backend.healthy;
    const draining = backend.state === 'draining';
    // Ejected by passive outlier detection: healthy by its checks, but held out for a while.
    const ejected = backend.outlier?.ejected === true && backend.outlier.until !== null;
    card.classList.toggle('is-offline', !online);
    card.classList.toggle('is-draining', draining);
    card.classList.toggle('is-ejected', ejected);
    card.dataset.health = ejected ? 'ejected' : online ? 'online' : 'offline';
    card.dataset.state = backend.state;

    const secondsLeft = ejected ? Math.max(0, Math.ceil((Date.parse(backend.outlier.until) - Date.now()) / 1000)) : 0;
    setText(field('health'), ejected ? `ejected · ${secondsLeft}s left` : online ? 'online' : 'offline');
    setText(field('state'), backend.state);
    setText(field('weight'), formatCount(backend.weight));
    setText(field('active'), formatCount(backend.activeRequests));
    setText(field('total'), formatCount(backend.requests));
    setText(field('errors'), formatCount(backend.errors));
    setText(field('p95'), formatMs(backend.latency.p95));
    setText(field('rps'), formatRate(backend.rps));
    field('errors').classList.toggle('has-errors', backend.errors > 0);

    const share = total ? backend.requests / total : 0;
    card.querySelector('.share-bar').style.setProperty('--share', `${(share * 100).toFixed(1)}%`);
    setText(card.querySelector('.share-label'), total ? `${Math.round(share * 100)}% of traffic` : 'no traffic yet');

    const drain = card.querySelector('[data-action="drain"]');
    setText(drain, draining ? 'Undrain' : 'Drain');
    drain.dataset.next = draining ? 'active' : 'draining';

    const weight = card.querySelector('input[name="weight"]');
    if (document.activeElement !== weight && card.dataset.weightDirty !== 'true') weight.value = String(backend.weight);
  }

  /** Shows or hides the lab controls on every card. */
  setLab(lab) {
    this.lab = lab;
    for (const card of this.cards.values()) card.querySelector('.lab').hidden = !lab;
  }

  card(url) {
    return this.cards.get(url);
  }
}

/** The stat cards above the charts. */
export function renderStats(backends, totals) {
  const healthy = backends.filter((b) => b.healthy).length;
  const draining = backends.filter((b) => b.state === 'draining').length;
  const set = (name, text) => setText(document.querySelector(`[data-stat="${name}"]`), text);
  set('nodes', formatCount(backends.length));
  set('healthy', formatCount(healthy));
  set('offline', formatCount(backends.length - healthy));
  set('draining', draining ? `${draining} draining` : 'none draining');
  set('rps', totals ? formatRate(totals.rps) : '—');
  set('p95', totals ? formatMs(totals.latency?.p95 ?? null) : '—');
  set('requests', totals ? `${formatCount(totals.requests)} requests, ${formatCount(totals.errors)} errors` : '—');
  set(
    'p99',
    totals ? `p50 ${formatMs(totals.latency?.p50 ?? null)} · p99 ${formatMs(totals.latency?.p99 ?? null)}` : '—',
  );
  document
    .querySelector('[data-stat="offline"]')
    .closest('.stat')
    .classList.toggle('is-alert', backends.length - healthy > 0);
}
