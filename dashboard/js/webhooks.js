// Webhooks of the chosen project (GET/POST/DELETE /webhook): the list with URL, events and
// creation time, an add form (URL and the hook events wsd accepts), removal after
// confirmation. A webhook's signing secret is in POST's answer only: shown once.
import { addWebhook, listWebhooks, removeWebhook } from './api.js';
import { formatTime, lang, t } from './i18n.js';
import * as store from './store.js';
import { $, copyButton, dialog, el, errorText, syncRows, toast } from './ui.js';

// The hook events of schemas/http/webhook_create_request.json, in the order docs list them.
export const EVENTS = ['connect', 'disconnect', 'online', 'offline', 'message', 'room'];

let hooks = [];
let listed = '';  // the project `hooks` belongs to

const visible = () => !$('#section-settings').hidden;

export function init() {
  renderChecks();
  $('#webhook-form').addEventListener('submit', onAdd);
  $('#webhook-form').addEventListener('input', () => ($('#webhook-error').hidden = true));  // the error was about the old input
  store.subscribe((state) => {
    if (state.project === listed) {
      render();
      if (visible()) poll();
      return;
    }
    // Another project: nothing of the previous one stays on screen.
    hooks = [];
    listed = '';
    $('#webhook-new').hidden = true;
    $('#webhook-error').hidden = true;
    render();
    if (visible()) load();
  });
  window.addEventListener('langchange', () => {
    renderChecks();
    render();
  });
}

let latest = 0;  // the number of the newest read: an older answer is dropped
let polling;  // the periodic read in flight, if any

// Reads the chosen project's webhooks (when the section shows, the project changes, and
// after each change); an answer for a project no longer chosen, or overtaken by a newer
// read, is dropped.
export async function load() {
  const read = ++latest;
  const project = store.get().project;
  if (!project) return render();
  try {
    const answer = await listWebhooks(project);
    if (read !== latest || store.get().project !== project) return;
    hooks = answer.webhooks;
    listed = project;
  } catch (e) {
    $('#webhook-error').textContent = errorText(e);
    $('#webhook-error').hidden = false;
  }
  render();
}

// With every refresh of the project list while the section shows, so that changes made
// elsewhere appear; one such read at a time.
function poll() {
  polling ??= load().finally(() => {
    polling = undefined;
  });
}

function renderChecks() {
  const box = $('#webhook-events');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  const legend = el('legend', {}, t('webhooks.events'));
  const checks = EVENTS.map((name) => {
    const input = el('input', { type: 'checkbox', name: 'event', value: name });
    input.checked = checked.has(name);  // the property, so a form reset clears it
    return el('label', { class: 'check' }, input, el('span', {}, el('code', { class: 'mono strong' }, name), ' ', el('small', { class: 'hint' }, t(`webhooks.event.${name}`))));
  });
  box.replaceChildren(legend, ...checks);
}

async function onAdd(event) {
  event.preventDefault();
  const project = store.get().project;
  if (!project) return;
  const error = $('#webhook-error');
  error.hidden = true;
  const url = $('#webhook-url').value.trim();
  const events = [...$('#webhook-events').querySelectorAll('input:checked')].map((i) => i.value);
  const problem = !/^https?:\/\/\S+$/i.test(url) ? t('webhooks.badUrl') : events.length === 0 ? t('webhooks.noEvents') : '';
  if (problem) {
    error.textContent = problem;
    error.hidden = false;
    return;
  }
  const button = $('#webhook-add');
  button.disabled = true;
  try {
    const answer = await addWebhook(project, url, events);
    showSecret(answer);
    $('#webhook-form').reset();
    toast(t('webhooks.added'));
    await load();
  } catch (e) {
    error.textContent = errorText(e);
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

function showSecret(answer) {
  const box = $('#webhook-new');
  box.replaceChildren(
    el('span', { class: 'strong' }, t('webhooks.secret')),
    el('code', { id: 'webhook-secret', class: 'mono', 'data-id': answer.id }, answer.secret),
    copyButton(() => answer.secret),
    el('span', { class: 'secret-warning' }, t('secret.shownOnce')),
  );
  box.hidden = false;
}

async function onRemove(project, hook) {
  const answer = await dialog({
    title: t('webhooks.removeTitle'),
    body: t('webhooks.removeBody', { url: hook.url }),
    confirmLabel: t('webhooks.remove'),
    danger: true,
  });
  if (!answer) return;
  try {
    await removeWebhook(project, hook.id);
    toast(t('webhooks.removed'));
    if ($('#webhook-secret')?.dataset.id === hook.id) $('#webhook-new').hidden = true;
  } catch (e) {
    toast(errorText(e), 'error');
  }
  await load();
}

function row(project, hook) {
  return el(
    'tr',
    { 'data-id': hook.id },
    el('td', { class: 'card-title' }, el('code', { class: 'mono webhook-url' }, hook.url)),
    el('td', { 'data-label': t('webhooks.events'), 'data-col': 'events' }, el('div', { class: 'chips' }, hook.events.map((name) => el('span', { class: 'chip' }, name)))),
    el('td', { class: 'muted nowrap', 'data-label': t('webhooks.createdAt') }, formatTime(hook.createdAt)),
    el(
      'td',
      { class: 'actions' },
      el('button', { type: 'button', class: 'btn small danger-ghost', 'data-action': 'remove', onclick: () => onRemove(project, hook) }, t('webhooks.remove')),
    ),
  );
}

function render() {
  const project = store.get().project;
  $('#webhooks-title').textContent = t('webhooks.list', { project: project || '–' });
  syncRows(
    $('#webhooks-table tbody'),
    hooks,
    (h) => `${listed}/${h.id}`,
    (h) => JSON.stringify([h, lang()]),
    (h) => row(listed, h),
  );
  $('#webhooks-table').hidden = hooks.length === 0;
  $('#webhooks-empty').hidden = hooks.length > 0 || listed !== project;
  $('#webhook-add').disabled = !project;
}
