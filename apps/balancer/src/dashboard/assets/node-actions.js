/* Per-node actions on the cards: Drain / Undrain, Weight, Remove (asks to confirm), and the lab. */
import { removeBackend, updateBackend } from './api.js';
import { shortUrl } from './format.js';
import { bindLab } from './lab.js';
import { toast } from './toasts.js';

const CONFIRM_MS = 4000;

/** Runs one button's action with the button disabled meanwhile; failures become toasts. */
export async function busy(button, work, failureTitle) {
  button.disabled = true;
  try {
    await work();
  } catch (err) {
    toast('error', failureTitle, err.message);
  } finally {
    button.disabled = false;
  }
}

export function bindNodeActions(grid, state) {
  grid.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button) return;
    const url = button.closest('.node').dataset.url;
    if (button.dataset.action === 'drain') {
      const next = button.dataset.next;
      void busy(
        button,
        async () => {
          state.upsertBackend(await updateBackend(url, { state: next }));
          toast(
            'success',
            next === 'draining' ? `Draining ${shortUrl(url)}` : `${shortUrl(url)} is active again`,
            next === 'draining' ? 'No new requests; in-flight ones finish.' : 'It takes new requests.',
          );
        },
        `Could not change ${shortUrl(url)}`,
      );
    } else if (button.dataset.action === 'remove') {
      if (button.dataset.confirm !== 'true') {
        button.dataset.confirm = 'true';
        button.textContent = 'Confirm remove';
        setTimeout(() => {
          button.dataset.confirm = 'false';
          button.textContent = 'Remove';
        }, CONFIRM_MS);
        return;
      }
      void busy(
        button,
        async () => {
          await removeBackend(url);
          state.removeBackend(url);
          toast('success', `Removed ${shortUrl(url)}`, 'Requests already on it finish normally.');
        },
        `Could not remove ${shortUrl(url)}`,
      );
    }
  });

  grid.addEventListener('input', (event) => {
    if (event.target.name === 'weight') event.target.closest('.node').dataset.weightDirty = 'true';
  });

  grid.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.matches('.weight-form')) return;
    event.preventDefault();
    const card = form.closest('.node');
    const url = card.dataset.url;
    const input = form.elements.weight;
    const raw = input.value.trim();
    // A number goes as a number; anything else as typed, so the API's message says what is wrong.
    const weight = raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    void busy(
      form.querySelector('button'),
      async () => {
        state.upsertBackend(await updateBackend(url, { weight }));
        card.dataset.weightDirty = 'false';
        toast('success', `Weight of ${shortUrl(url)} is ${weight}`);
      },
      `Could not set the weight of ${shortUrl(url)}`,
    );
  });

  bindLab(grid);
}
