/* global document */
/* The admin token: asked once (when the balancer first answers 401), kept in sessionStorage. */

const KEY = 'loadex.adminToken';

export function storedToken() {
  return sessionStorage.getItem(KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(KEY);
}

let pending = null;

document
  .querySelector('#token-dialog [data-close]')
  .addEventListener('click', () => document.getElementById('token-dialog').close());

/**
 * Opens the token dialog and resolves with the token entered (and stores it), or null when the
 * user cancels. Concurrent callers share one dialog.
 */
export function askForToken(reason) {
  if (pending) return pending;
  const dialog = document.getElementById('token-dialog');
  const form = dialog.querySelector('form');
  const input = dialog.querySelector('#token-input');
  const note = dialog.querySelector('#token-reason');
  note.textContent = reason;
  input.value = '';

  pending = new Promise((resolve) => {
    const finish = (token) => {
      form.removeEventListener('submit', onSubmit);
      dialog.removeEventListener('close', onClose);
      if (dialog.open) dialog.close();
      pending = null;
      if (token) sessionStorage.setItem(KEY, token);
      resolve(token);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      finish(input.value.trim() || null);
    };
    // Esc or Cancel. (A `close` event queued by the previous dialog arrives while this one is
    // already open again: it is not for us.)
    const onClose = () => {
      if (!dialog.open) finish(null);
    };
    form.addEventListener('submit', onSubmit);
    dialog.addEventListener('close', onClose);
    dialog.showModal();
    input.focus();
  });
  return pending;
}
