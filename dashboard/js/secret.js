// The server secret of the chosen project (POST /project/secret): issue the first one, or
// rotate it with a grace period for the one it replaces. The secret is in the answer
// only, so the page shows it once, with a copy button, and forgets it when another
// project is chosen. Below, how a backend signs a bind with it (Node).
import { rotateSecret } from './api.js';
import { formatTime, t } from './i18n.js';
import * as store from './store.js';
import { highlight } from './config.js';
import { $, copyButton, dialog, el, errorText, toast } from './ui.js';

// Runs as is in Node (CommonJS); the message signed is uid + ':' + exp, exp in Unix seconds.
export const SIGN_SNIPPET = `// On your backend only: the secret never goes to a client.
const crypto = require('node:crypto');

// The bind frame a client sends for uid, valid for ttlSeconds.
function signBind(uid, secret, ttlSeconds = 300) {
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;  // Unix seconds
  const sig = crypto.createHmac('sha256', secret).update(uid + ':' + exp).digest('hex');
  return { type: 'bind', uid, exp, sig };
}`;

let issued;  // the last answer {key, secret, previousValidUntil}, shown until the project changes

export function init() {
  $('#secret-form').addEventListener('submit', onIssue);
  store.subscribe(render);
  window.addEventListener('langchange', () => {
    render();
    renderSnippet();
    if (issued) showIssued(issued);
  });
  renderSnippet();
}

function render() {
  const project = store.currentProject();
  const has = !!project?.settings?.hasSecret;
  const badge = $('#secret-badge');
  badge.textContent = has ? t('secret.has') : t('secret.none');
  badge.className = `badge ${has ? 'good' : 'neutral'}`;
  badge.dataset.hasSecret = String(has);
  $('#secret-grace-field').hidden = !has;  // a first secret replaces nothing
  $('#secret-issue').textContent = has ? t('secret.rotate') : t('secret.issue');
  $('#secret-issue').disabled = !project;
  if (issued && issued.key !== project?.key) {
    issued = undefined;
    $('#secret-new').hidden = true;
    $('#secret-error').hidden = true;
  }
}

async function onIssue(event) {
  event.preventDefault();
  const project = store.currentProject();
  if (!project) return;
  const error = $('#secret-error');
  error.hidden = true;
  const rotating = project.settings?.hasSecret;
  const grace = rotating ? Number($('#secret-grace').value) : 0;
  if (rotating) {
    const label = $('#secret-grace').selectedOptions[0].textContent;
    const answer = await dialog({
      title: t('secret.rotateTitle', { project: project.key }),
      body: grace ? t('secret.rotateBodyGrace', { grace: label }) : t('secret.rotateBodyNow'),
      confirmLabel: t('secret.rotate'),
      danger: grace === 0,
    });
    if (!answer) return;
  }
  const button = $('#secret-issue');
  button.disabled = true;
  try {
    showIssued(await rotateSecret(project.key, rotating ? grace : undefined));
    toast(t('secret.issued'));
    await store.refresh().catch(() => {});
  } catch (e) {
    error.textContent = errorText(e);
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

function showIssued(answer) {
  issued = answer;
  const box = $('#secret-new');
  const previous =
    answer.previousValidUntil === null
      ? null
      : answer.previousValidUntil > Date.now()
        ? t('secret.previousUntil', { time: formatTime(answer.previousValidUntil) })
        : t('secret.previousGone');
  box.replaceChildren(
    el('span', { class: 'strong' }, t('secret.issued')),
    el('code', { id: 'secret-value', class: 'mono' }, answer.secret),
    copyButton(() => answer.secret),
    el('span', { class: 'secret-warning', id: 'secret-warning' }, t('secret.shownOnce')),
  );
  if (previous) box.append(el('span', { class: 'muted wide-line', id: 'secret-previous' }, previous));
  box.hidden = false;
}

function renderSnippet() {
  $('#secret-snippet').replaceChildren(
    el(
      'div',
      { class: 'code-block' },
      el('div', { class: 'code-head' }, el('span', {}, t('secret.snippet')), copyButton(() => SIGN_SNIPPET)),
      el('pre', { class: 'code', id: 'secret-snippet-code' }, el('code', {}, highlight(SIGN_SNIPPET))),
    ),
  );
}
