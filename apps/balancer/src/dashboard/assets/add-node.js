/* global document */
/* The Add Node dialog: the API validates, and its message is shown next to the field it names. */
import { addBackend } from './api.js';
import { shortUrl } from './format.js';
import { toast } from './toasts.js';

/** Which field an API message is about ("url: ..." / "weight: ..."), else null. */
function fieldOf(message) {
  const match = /^(url|weight)\b/i.exec(message);
  return match ? match[1].toLowerCase() : null;
}

export function bindAddNode(opener, state) {
  const dialog = document.getElementById('add-dialog');
  const form = dialog.querySelector('form');
  const url = form.elements.url;
  const weight = form.elements.weight;
  const errors = {
    url: dialog.querySelector('#add-url-error'),
    weight: dialog.querySelector('#add-weight-error'),
    form: dialog.querySelector('#add-form-error'),
  };
  const submit = form.querySelector('button[type="submit"]');

  const clearErrors = () => {
    for (const [name, element] of Object.entries(errors)) {
      element.textContent = '';
      form.elements[name]?.removeAttribute('aria-invalid');
    }
  };

  opener.addEventListener('click', () => {
    clearErrors();
    form.reset();
    dialog.showModal();
    url.focus();
  });
  dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const text = url.value.trim();
    const weightText = weight.value.trim();
    const existed = state.backends.has(text.replace(/\/$/, ''));
    submit.disabled = true;
    try {
      const view = await addBackend(text, weightText === '' ? undefined : Number(weightText));
      state.upsertBackend(view);
      dialog.close();
      toast(
        existed ? 'info' : 'success',
        existed ? `${shortUrl(view.url)} is already in the pool` : `Added ${shortUrl(view.url)}`,
        existed ? '' : `Weight ${view.weight}; it is health-checked now.`,
      );
    } catch (err) {
      const field = err.status === 400 ? fieldOf(err.message) : null;
      const target = field ? errors[field] : errors.form;
      target.textContent = err.message;
      if (field) {
        form.elements[field].setAttribute('aria-invalid', 'true');
        form.elements[field].focus();
      }
      toast('error', 'Node not added', err.message);
    } finally {
      submit.disabled = false;
    }
  });
}
