// Small DOM helpers shared by the sections: element building, toasts, a confirmation
// dialog, copy buttons and badges. No framework: the page is small enough without one.
import { t } from './i18n.js';

// el('button', {class: 'btn', onclick: fn}, 'text', child...)
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function toast(message, kind = 'ok') {
  const box = $('#toasts');
  const item = el('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(item);
  while (box.children.length > 3) box.firstElementChild.remove();  // the newest three
  setTimeout(() => item.classList.add('leaving'), 3200);
  setTimeout(() => item.remove(), 3600);
}

export function badge(text, kind = 'neutral') {
  return el('span', { class: `badge ${kind}` }, text);
}

// Writes `text` to the clipboard: the async API where the page is a secure context,
// else a hidden textarea and execCommand (plain http on a LAN address).
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through
    }
  }
  const area = el('textarea', { class: 'offscreen', readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

export function copyButton(getText, extraClass = '') {
  const button = el('button', { type: 'button', class: `btn small ghost copy ${extraClass}`.trim() }, t('common.copy'));
  button.addEventListener('click', async () => {
    await copyText(getText());
    button.textContent = t('common.copied');
    button.classList.add('done');
    setTimeout(() => {
      button.textContent = t('common.copy');
      button.classList.remove('done');
    }, 1400);
  });
  return button;
}

// A modal dialog. Resolves with the form's values (an object) on confirm, null on cancel.
// `body` is a node or text; `fields` adds inputs: [{name, label, type, value, ...attrs}].
// With `confirmText`, the confirm button stays disabled until that text is typed.
export function dialog({ title, body, confirmLabel, danger = false, fields = [], confirmText }) {
  const box = $('#dialog');
  const form = el('form', { method: 'dialog', class: 'dialog-form' });
  form.append(el('h3', { class: 'dialog-title' }, title));
  if (body) form.append(el('div', { class: 'dialog-body' }, body));
  const inputs = {};
  for (const { name, label, type = 'text', value, ...attrs } of fields) {
    const input = el('input', { name, type, ...attrs });
    if (type === 'checkbox') input.checked = !!value;
    else if (value !== undefined) input.value = value;
    inputs[name] = input;
    form.append(el('label', { class: type === 'checkbox' ? 'check' : 'field' }, type === 'checkbox' ? [input, el('span', {}, label)] : [el('span', {}, label), input]));
  }
  const confirm = el('button', { type: 'submit', value: 'confirm', class: `btn ${danger ? 'danger' : 'primary'}`, id: 'dialog-confirm' }, confirmLabel);
  const cancel = el('button', { type: 'submit', value: 'cancel', class: 'btn ghost', id: 'dialog-cancel', formnovalidate: true }, t('common.cancel'));
  form.append(el('div', { class: 'dialog-actions' }, cancel, confirm));
  if (confirmText !== undefined) {
    const check = () => (confirm.disabled = inputs.confirm.value !== confirmText);
    inputs.confirm.addEventListener('input', check);
    check();
  }
  box.replaceChildren(form);
  box.showModal();
  (Object.values(inputs)[0] ?? cancel).focus();
  return new Promise((resolve) => {
    box.addEventListener(
      'close',
      () => {
        if (box.returnValue !== 'confirm') return resolve(null);
        const values = {};
        for (const [name, input] of Object.entries(inputs)) values[name] = input.type === 'checkbox' ? input.checked : input.value;
        resolve(values);
      },
      { once: true },
    );
  });
}

// An error for a form: the HTTP status, wsd's code and message ("400 bad_request: ...");
// only the message when the server could not be reached.
export const errorText = (e) => (e.status ? `${e.status} ${e.code}: ${e.message}` : e.message);

// A short token for tables: the first and last characters.
export const shortToken = (token) => (token.length > 14 ? `${token.slice(0, 8)}…${token.slice(-4)}` : token);

// <input type=datetime-local> value for `ms`, in local time.
export function toLocalInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// Makes `tbody` show one row per item, in order, building a row (build(item)) only for
// items that are new or changed (sigOf(item) differs): the periodic refresh leaves rows
// that did not change alone, so a button under the pointer is not replaced.
export function syncRows(tbody, items, keyOf, sigOf, build) {
  const existing = new Map([...tbody.children].map((row) => [row.dataset.rowKey, row]));
  const rows = items.map((item) => {
    const key = keyOf(item);
    const sig = sigOf(item);
    const old = existing.get(key);
    if (old && old.dataset.rowSig === sig) return old;
    const row = build(item);
    row.dataset.rowKey = key;
    row.dataset.rowSig = sig;
    return row;
  });
  rows.forEach((row, i) => {
    if (tbody.children[i] !== row) tbody.insertBefore(row, tbody.children[i] ?? null);
  });
  while (tbody.children.length > rows.length) tbody.lastElementChild.remove();
}
