// Projects: create, list with live connection and online-uid counts (GET /project every
// few seconds), delete after typing the key.
import { createProject, deleteProject } from './api.js';
import { formatTime, lang, t } from './i18n.js';
import * as store from './store.js';
import { $, dialog, el, syncRows, toast } from './ui.js';

export function init() {
  $('#project-create-form').addEventListener('submit', onCreate);
  store.subscribe(render);
  window.addEventListener('langchange', () => render(store.get()));
}

export function show() {
  store.refresh().catch(() => {});
}

async function onCreate(event) {
  event.preventDefault();
  const key = $('#project-key').value.trim();
  const name = $('#project-name').value.trim();
  const error = $('#project-create-error');
  const button = $('#project-create');
  button.disabled = true;
  error.hidden = true;
  try {
    await createProject(key, name);
    $('#project-create-form').reset();
    toast(t('projects.created', { key }));
    await store.refresh();
    store.choose({ project: key });
  } catch (e) {
    error.textContent = `${e.code ?? 'error'}: ${e.message}`;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function onDelete(project) {
  const answer = await dialog({
    title: t('projects.deleteTitle', { key: project.key }),
    body: t('projects.deleteBody', { n: project.connections }),
    confirmLabel: t('common.delete'),
    danger: true,
    fields: [{ name: 'confirm', label: t('projects.key'), autocomplete: 'off', spellcheck: 'false', placeholder: project.key }],
    confirmText: project.key,
  });
  if (!answer) return;
  try {
    await deleteProject(project.key);
    toast(t('projects.deleted', { key: project.key }));
  } catch (e) {
    toast(`${e.code ?? 'error'}: ${e.message}`, 'error');
  }
  await store.refresh().catch(() => {});
}

function row(project, chosen) {
  const use = el('button', { type: 'button', class: 'btn small ghost', 'data-action': 'use', onclick: () => {
    store.choose({ project: project.key });
    location.hash = '#tokens';
  } }, t('projects.use'));
  const remove = el('button', { type: 'button', class: 'btn small danger-ghost', 'data-action': 'delete', onclick: () => onDelete(project) }, t('common.delete'));
  return el(
    'tr',
    { 'data-key': project.key, class: chosen ? 'chosen' : undefined },
    el('td', { class: 'mono strong card-title' }, project.key),
    el('td', { 'data-label': t('projects.name') }, project.name),
    el('td', { class: 'muted nowrap', 'data-label': t('projects.createdAt') }, formatTime(project.createdAt)),
    el('td', { class: 'num', 'data-col': 'connections', 'data-label': t('projects.connections') }, countCell(project.connections)),
    el('td', { class: 'num', 'data-col': 'online', 'data-label': t('projects.online') }, countCell(project.online)),
    el('td', { class: 'num', 'data-col': 'tokens', 'data-label': t('projects.tokens') }, String(project.tokens.length)),
    el('td', { class: 'actions' }, el('div', { class: 'btn-row end' }, use, remove)),
  );
}

const countCell = (n) => el('span', { class: n > 0 ? 'count on' : 'count' }, String(n));

function render(state) {
  const list = state.projects;
  syncRows(
    $('#projects-table tbody'),
    list,
    (p) => p.key,
    (p) => JSON.stringify([p, p.key === state.project, lang()]),
    (p) => row(p, p.key === state.project),
  );
  $('#projects-empty').hidden = list.length > 0;
  $('#projects-table').hidden = list.length === 0;
  $('#stat-projects').textContent = String(list.length);
  $('#stat-connections').textContent = String(list.reduce((n, p) => n + p.connections, 0));
  $('#stat-online').textContent = String(list.reduce((n, p) => n + p.online, 0));
  if (state.updatedAt) $('#projects-updated').textContent = `${t('common.live')} · ${t('common.updated', { time: formatTime(state.updatedAt, false) })}`;
}
