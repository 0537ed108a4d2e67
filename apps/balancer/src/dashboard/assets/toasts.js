/* global document */
/* Toasts: one for every action and every change seen on the live stream. */

const MAX_VISIBLE = 5;
const ICONS = { success: '✓', error: '!', info: 'i', warn: '!' };

/**
 * The toast region is a manual popover, so it lives in the top layer: shown again after a modal
 * dialog opened, it stays above the dialog and its backdrop.
 */
function raise(region) {
  if (region.matches(':popover-open')) region.hidePopover();
  region.showPopover();
}

/**
 * Shows a toast. `kind` is success, error, info or warn; errors stay longer and are announced
 * assertively to screen readers.
 */
export function toast(kind, title, detail = '') {
  const region = document.getElementById('toasts');
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');

  const icon = document.createElement('span');
  icon.className = 'toast-icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = ICONS[kind] ?? 'i';

  const body = document.createElement('div');
  body.className = 'toast-body';
  const heading = document.createElement('strong');
  heading.textContent = title;
  body.append(heading);
  if (detail) {
    const text = document.createElement('span');
    text.textContent = detail;
    body.append(text);
  }

  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '×';

  item.append(icon, body, close);
  region.append(item);
  while (region.children.length > MAX_VISIBLE) region.firstElementChild.remove();
  raise(region);

  const dismiss = () => {
    clearTimeout(timer);
    item.classList.add('leaving');
    setTimeout(() => {
      item.remove();
      if (region.children.length === 0 && region.matches(':popover-open')) region.hidePopover();
    }, 200);
  };
  const timer = setTimeout(dismiss, kind === 'error' ? 9000 : 4500);
  close.addEventListener('click', dismiss);
}
