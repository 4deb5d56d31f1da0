// Settings of the chosen project: the section's entry and its first card, the connection
// rules (PATCH /project: signed bind, allowed Origins, max connections, offline delivery,
// and how much room history is kept: roomHistorySize messages per room, roomHistoryTtl s).
// Save sends only the fields that differ from what the server last said. The server
// secret and the webhooks are cards of their own (secret.js, webhooks.js).
import { updateProject } from './api.js';
import { t } from './i18n.js';
import * as store from './store.js';
import { $, errorText, toast } from './ui.js';
import * as secret from './secret.js';
import * as webhooks from './webhooks.js';

const FIELDS = ['signedBind', 'allowedOrigins', 'maxConnections', 'offlineDelivery', 'roomHistorySize', 'roomHistoryTtl'];

// The server's limits (docs/protocol.md, PATCH /project) and its defaults.
const ROOM_HISTORY_SIZE = { min: 0, max: 10000, fallback: 100 };
const ROOM_HISTORY_TTL = { min: 1, max: 2592000, fallback: 86400 };

// scheme://host[:port], as a browser sends it in Origin: a host name, an IPv4 address or
// a bracketed IPv6 address, no path, no trailing slash. The server checks only the shape
// loosely (and the limits: 256 characters, 100 Origins); this catches typos before saving.
const ORIGIN = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)(:(\d{1,5}))?$/;

// The project and settings the form was last filled from: the periodic refresh fills it
// again only when they change and the user has not edited it.
let filled = { key: undefined, settings: undefined };

export function init() {
  $('#settings-form').addEventListener('submit', onSave);
  $('#settings-form').addEventListener('input', onEdit);
  store.subscribe(render);
  window.addEventListener('langchange', onEdit);
  secret.init();
  webhooks.init();
}

export function show() {
  store.refresh().catch(() => {});
  render(store.get());
  webhooks.load();
}

// ---- the form's values ------------------------------------------------------------------

const originLines = () => $('#settings-origins').value.split('\n').map((s) => s.trim()).filter(Boolean);

export function isOrigin(text) {
  const m = ORIGIN.exec(text);
  return !!m && (m[5] === undefined || (Number(m[5]) >= 1 && Number(m[5]) <= 65535));
}

// What the form says, and what in it is not valid (messages, in the page's language).
function readForm() {
  const origins = originLines();
  const max = $('#settings-max-connections').value.trim();
  const problems = {};
  const bad = origins.filter((o) => !isOrigin(o));
  if (bad.length) problems.origins = t('settings.originsBad', { lines: bad.join(', ') });
  if (!/^\d+$/.test(max) || !Number.isSafeInteger(Number(max))) problems.max = t('settings.maxBad');
  const historySize = $('#settings-room-history-size').value.trim();
  const historyTtl = $('#settings-room-history-ttl').value.trim();
  if (!wholeIn(historySize, ROOM_HISTORY_SIZE)) problems.historySize = t('settings.roomHistorySizeBad', ROOM_HISTORY_SIZE);
  if (!wholeIn(historyTtl, ROOM_HISTORY_TTL)) problems.historyTtl = t('settings.roomHistoryTtlBad', ROOM_HISTORY_TTL);
  return {
    values: {
      signedBind: $('#settings-signed-bind').checked,
      allowedOrigins: origins,
      maxConnections: Number(max),
      offlineDelivery: $('#settings-offline').value,
      roomHistorySize: Number(historySize),
      roomHistoryTtl: Number(historyTtl),
    },
    problems,
  };
}

const wholeIn = (text, { min, max }) => /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;

// The fields of `values` that differ from `settings`: the PATCH body's `settings`.
function changes(values, settings) {
  const patch = {};
  for (const name of FIELDS) {
    if (JSON.stringify(values[name]) !== JSON.stringify(settings?.[name])) patch[name] = values[name];
  }
  return patch;
}

function fill(key, settings) {
  filled = { key, settings };
  $('#settings-signed-bind').checked = !!settings?.signedBind;
  $('#settings-origins').value = (settings?.allowedOrigins ?? []).join('\n');
  $('#settings-max-connections').value = String(settings?.maxConnections ?? 0);
  $('#settings-offline').value = settings?.offlineDelivery ?? 'at_most_once';
  $('#settings-room-history-size').value = String(settings?.roomHistorySize ?? ROOM_HISTORY_SIZE.fallback);
  $('#settings-room-history-ttl').value = String(settings?.roomHistoryTtl ?? ROOM_HISTORY_TTL.fallback);
  onEdit();
}

// ---- rendering --------------------------------------------------------------------------

function render() {
  const project = store.currentProject();
  for (const input of $('#settings-form').elements) input.disabled = !project;
  const same = project?.key === filled.key;
  if (same && JSON.stringify(project?.settings) === JSON.stringify(filled.settings)) return onEdit();
  // Another project, or the server's settings changed: fill again unless the user is
  // editing this project's form (then the change summary compares with the new state).
  const editing = same && Object.keys(changes(readForm().values, filled.settings)).length > 0;
  if (editing) return onEdit();
  $('#settings-error').hidden = true;
  fill(project?.key, project?.settings);
}

// After every edit: the origins' problems under the field, and what Save would send.
function onEdit() {
  const project = store.currentProject();
  const { values, problems } = readForm();
  const originsError = $('#settings-origins-error');
  originsError.textContent = problems.origins ?? '';
  originsError.hidden = !problems.origins;
  $('#settings-origins').toggleAttribute('aria-invalid', !!problems.origins);
  $('#settings-max-connections').toggleAttribute('aria-invalid', !!problems.max);
  $('#settings-room-history-size').toggleAttribute('aria-invalid', !!problems.historySize);
  $('#settings-room-history-ttl').toggleAttribute('aria-invalid', !!problems.historyTtl);
  const patch = project ? changes(values, project.settings) : {};
  const names = Object.keys(patch);
  $('#settings-changes').textContent = names.length
    ? t('settings.changed', { fields: names.map((n) => t(`settings.field.${n}`)).join(', ') })
    : t('settings.noChanges');
  $('#settings-save').disabled = !project || names.length === 0;
}

async function onSave(event) {
  event.preventDefault();
  const project = store.currentProject();
  if (!project) return;
  const error = $('#settings-error');
  error.hidden = true;
  const { values, problems } = readForm();
  const shown = Object.values(problems);
  if (shown.length) {
    error.textContent = shown.join(' ');
    error.hidden = false;
    return;
  }
  const patch = changes(values, project.settings);
  if (Object.keys(patch).length === 0) return;
  const button = $('#settings-save');
  button.disabled = true;
  try {
    const answer = await updateProject(project.key, patch);
    fill(answer.key, answer.settings);
    toast(t('settings.saved'));
    await store.refresh().catch(() => {});
  } catch (e) {
    error.textContent = errorText(e);
    error.hidden = false;
    onEdit();
  }
}
