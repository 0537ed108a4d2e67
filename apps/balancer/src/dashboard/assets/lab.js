/* global document */
/* Lab mode (--lab): drive a demo backend's /control through the balancer's relay, to watch
 * failover, retries, least-connection and IP-hash remapping happen. */
import { getLabControl, setLabControl } from './api.js';
import { formatCount, shortUrl } from './format.js';
import { toast } from './toasts.js';

function show(card, control) {
  const lab = card.querySelector('.lab');
  lab.dataset.healthy = String(control.healthy);
  const toggle = lab.querySelector('[data-lab="healthy"]');
  toggle.textContent = control.healthy ? 'Make unhealthy' : 'Make healthy';
  const latency = lab.querySelector('input[name="latencyMs"]');
  const failRate = lab.querySelector('input[name="failRate"]');
  if (document.activeElement !== latency) latency.value = String(control.latencyMs);
  if (document.activeElement !== failRate) failRate.value = String(Math.round(control.failRate * 100));
  lab.querySelector('.lab-status').textContent =
    `Backend says: ${control.healthy ? 'healthy' : 'unhealthy'}, +${control.latencyMs} ms, ` +
    `${Math.round(control.failRate * 100)}% failures, ${formatCount(control.served)} served`;
}

async function change(card, body, label) {
  const url = card.dataset.url;
  try {
    show(card, await setLabControl(url, body));
    toast('success', `Lab: ${shortUrl(url)} ${label}`);
  } catch (err) {
    toast('error', `Lab: could not change ${shortUrl(url)}`, err.message);
  }
}

export function bindLab(grid) {
  // Reads the backend's switches when a card's lab panel is opened.
  grid.addEventListener(
    'toggle',
    (event) => {
      const lab = event.target;
      if (!lab.matches?.('details.lab') || !lab.open) return;
      const card = lab.closest('.node');
      getLabControl(card.dataset.url)
        .then((control) => show(card, control))
        .catch((err) => toast('error', `Lab: could not read ${shortUrl(card.dataset.url)}`, err.message));
    },
    true,
  );

  grid.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-lab="healthy"]');
    if (!button) return;
    const card = button.closest('.node');
    const healthy = card.querySelector('.lab').dataset.healthy === 'false';
    void change(card, { healthy }, healthy ? 'answers its health checks again' : 'fails its health checks now');
  });

  grid.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.matches('.lab-form')) return;
    event.preventDefault();
    const card = form.closest('.node');
    const latencyMs = Number(form.elements.latencyMs.value);
    const failRate = Number(form.elements.failRate.value) / 100;
    void change(card, { latencyMs, failRate }, `set to +${latencyMs} ms, ${Math.round(failRate * 100)}% failures`);
  });
}
