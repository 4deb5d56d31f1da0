// Tokens of the chosen project: issue (default 30 days, a fixed span, never, or a date),
// list, change the expiry (PATCH /token), revoke (DELETE /token) after confirmation.
import { issueToken, revokeToken, updateToken } from './api.js';
import { formatTime, lang, t } from './i18n.js';
import * as store from './store.js';
import { $, badge, copyButton, dialog, el, shortToken, syncRows, toLocalInput, toast } from './ui.js';

const DAY = 86400000;

export function init() {
  $('#token-issue-form').addEventListener('submit', onIssue);
  $('#token-expiry').addEventListener('change', () => {
    const custom = $('#token-expiry').value === 'custom';
    $('#token-custom-field').hidden = !custom;
    if (custom && !$('#token-custom').value) $('#token-custom').value = toLocalInput(Date.now() + 7 * DAY);
  });
  store.subscribe(render);
  window.addEventListener('langchange', () => render(store.get()));
}

export function show() {
  store.refresh().catch(() => {});
}

// undefined: the server's default; null: never; else ms since the epoch.
function chosenExpiry() {
  switch ($('#token-expiry').value) {
    case '1d': return Date.now() + DAY;
    case '7d': return Date.now() + 7 * DAY;
    case 'never': return null;
    case 'custom': return new Date($('#token-custom').value).getTime();
    default: return undefined;
  }
}

async function onIssue(event) {
  event.preventDefault();
  const project = store.get().project;
  const error = $('#token-error');
  error.hidden = true;
  if (!project) return;
  const button = $('#token-issue');
  button.disabled = true;
  try {
    const answer = await issueToken(project, chosenExpiry());
    showNewToken(answer.token);
    toast(t('tokens.issued'));
    await store.refresh();
    store.choose({ token: answer.token });
  } catch (e) {
    error.textContent = `${e.code ?? 'error'}: ${e.message}`;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

function showNewToken(token) {
  const box = $('#token-new');
  box.replaceChildren(el('span', { class: 'muted' }, t('tokens.issued')), el('code', { id: 'token-new-value', class: 'mono' }, token), copyButton(() => token));
  box.hidden = false;
}

async function onChange(project, token) {
  const answer = await dialog({
    title: t('tokens.changeTitle', { token: shortToken(token.token) }),
    confirmLabel: t('common.save'),
    fields: [
      { name: 'expiresAt', label: t('tokens.expiresAt'), type: 'datetime-local', value: toLocalInput(token.expiresAt ?? Date.now() + 30 * DAY) },
      { name: 'never', label: t('tokens.neverExpires'), type: 'checkbox', value: token.expiresAt === null },
    ],
  });
  if (!answer) return;
  const expiresAt = answer.never ? null : new Date(answer.expiresAt).getTime();
  try {
    await updateToken(project, token.token, expiresAt);
    toast(t('tokens.changed'));
  } catch (e) {
    toast(`${e.code ?? 'error'}: ${e.message}`, 'error');
  }
  await store.refresh().catch(() => {});
}

async function onRevoke(project, token) {
  const answer = await dialog({
    title: t('tokens.revokeTitle', { token: shortToken(token.token) }),
    body: t('tokens.revokeBody'),
    confirmLabel: t('tokens.revoke'),
    danger: true,
  });
  if (!answer) return;
  try {
    await revokeToken(project, token.token);
    toast(t('tokens.revoked'));
  } catch (e) {
    toast(`${e.code ?? 'error'}: ${e.message}`, 'error');
  }
  await store.refresh().catch(() => {});
}

function row(project, token, now) {
  const expired = token.expiresAt !== null && token.expiresAt <= now;
  return el(
    'tr',
    { 'data-token': token.token },
    el('td', { class: 'card-title' }, el('div', { class: 'token-cell' }, el('code', { class: 'mono', title: token.token }, shortToken(token.token)), copyButton(() => token.token))),
    el('td', { class: 'muted nowrap', 'data-label': t('tokens.createdAt') }, formatTime(token.createdAt)),
    el('td', { class: 'nowrap', 'data-col': 'expires', 'data-label': t('tokens.expiresAt') }, formatTime(token.expiresAt)),
    el('td', { 'data-label': t('tokens.status') }, expired ? badge(t('common.expired'), 'bad') : badge(t('common.active'), 'good')),
    el(
      'td',
      { class: 'actions' },
      el(
        'div',
        { class: 'btn-row end' },
        el('button', { type: 'button', class: 'btn small ghost', 'data-action': 'expiry', onclick: () => onChange(project, token) }, t('tokens.change')),
        el('button', { type: 'button', class: 'btn small danger-ghost', 'data-action': 'revoke', onclick: () => onRevoke(project, token) }, t('tokens.revoke')),
      ),
    ),
  );
}

function render(state) {
  const project = store.currentProject();
  const tokens = [...(project?.tokens ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  const now = Date.now();
  $('#tokens-title').textContent = t('tokens.list', { project: project?.key ?? '–' });
  syncRows(
    $('#tokens-table tbody'),
    tokens,
    (x) => `${project.key}/${x.token}`,
    (x) => JSON.stringify([x, x.expiresAt !== null && x.expiresAt <= now, lang()]),
    (x) => row(project.key, x, now),
  );
  $('#tokens-table').hidden = tokens.length === 0;
  $('#tokens-empty').hidden = tokens.length > 0;
  $('#token-issue').disabled = !state.project;
}
