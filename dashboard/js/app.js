// The dashboard's entry: sign-in with the admin token, the section navigation (#hash),
// the context bar (project and token shared by the sections) and the language toggle.
// Each section lives in its own module with an init() and, where it needs one, show().
import { admin, adminToken, clearAdminToken, onUnauthorized, setAdminToken, ApiError } from './api.js';
import { applyLabels, t, toggleLang } from './i18n.js';
import * as store from './store.js';
import { $, el } from './ui.js';
import * as projects from './projects.js';
import * as tokens from './tokens.js';
import * as config from './config.js';
import * as consoleSection from './console.js';
import * as call from './call.js';
import * as mail from './mail.js';
import * as live from './live.js';
import * as settings from './settings.js';

const SECTIONS = { projects, tokens, config, console: consoleSection, call, mail, live, settings };
// Which selectors of the context bar each section uses.
const CONTEXT = { projects: [], tokens: ['project'], config: ['project', 'token'], console: ['project', 'token'], call: ['project', 'token'], mail: ['project', 'token'], live: ['project'], settings: ['project'] };

let current = '';

function showSignIn(message = '') {
  current = '';  // the next sign-in shows its section afresh
  store.reset();
  live.stop();
  call.stop();
  consoleSection.stop();
  $('#app-view').hidden = true;
  $('#sign-in-view').hidden = false;
  const error = $('#sign-in-error');
  error.textContent = message;
  error.hidden = !message;
  $('#admin-token').value = '';
  $('#admin-token').focus();
}

async function showApp() {
  $('#sign-in-view').hidden = true;
  $('#app-view').hidden = false;
  $('#server-host').textContent = location.host;
  await store.start().catch(() => {});
  route();
}

async function signIn(event) {
  event.preventDefault();
  const token = $('#admin-token').value.trim();
  const button = $('#sign-in-submit');
  button.disabled = true;
  try {
    await admin('GET', 'project', undefined, token);
  } catch (e) {
    button.disabled = false;
    showSignInError(e);
    return;
  }
  button.disabled = false;
  $('#admin-token').value = '';
  setAdminToken(token);
  await showApp();
}

function showSignInError(e) {
  const error = $('#sign-in-error');
  error.textContent = e instanceof ApiError ? t('auth.wrong') : t('auth.unreachable', { msg: e.message });
  error.hidden = false;
}

function route() {
  const name = location.hash.slice(1) in SECTIONS ? location.hash.slice(1) : 'projects';
  if (name === current) return;
  current = name;
  for (const section of document.querySelectorAll('.section')) section.hidden = section.dataset.section !== name;
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === name);
    if (link.dataset.nav === name) {
      link.setAttribute('aria-current', 'page');
      link.scrollIntoView({ block: 'nearest', inline: 'nearest' });  // the tab strip of a phone
    }
    else link.removeAttribute('aria-current');
  }
  renderHead();
  renderContext(store.get());
  SECTIONS[name].show?.();
}

function renderHead() {
  $('#section-title').textContent = t(`${current}.title`);
  $('#section-lead').textContent = t(`${current}.lead`);
  document.title = `${t(`nav.${current}`)} · wsd`;
}

// ---- the context bar -----------------------------------------------------------------

function renderContext(state) {
  const uses = CONTEXT[current] ?? [];
  $('#context-bar').hidden = uses.length === 0;
  $('#ctx-project-field').hidden = !uses.includes('project');
  $('#ctx-token-field').hidden = !uses.includes('token');
  const projectSelect = $('#ctx-project');
  const options = state.projects.map((p) => el('option', { value: p.key }, p.name && p.name !== p.key ? `${p.key} · ${p.name}` : p.key));
  if (options.length === 0) options.push(el('option', { value: '' }, t('ctx.noProject')));
  replaceOptions(projectSelect, options, state.project);
  const tokenList = store.currentProject()?.tokens ?? [];
  const now = Date.now();
  const tokenOptions = [...tokenList]
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((x) => el('option', { value: x.token }, `${x.token.slice(0, 10)}…  ${x.expiresAt !== null && x.expiresAt <= now ? `(${t('common.expired')})` : ''}`));
  if (tokenOptions.length === 0) tokenOptions.push(el('option', { value: '' }, t('ctx.noToken')));
  replaceOptions($('#ctx-token'), tokenOptions, state.token);
}

// Replaces a select's options only when they changed, so an open select is not disturbed
// by the periodic refresh.
function replaceOptions(select, options, value) {
  const signature = options.map((o) => `${o.value}=${o.textContent}`).join('|');
  if (select.dataset.signature !== signature) {
    select.replaceChildren(...options);
    select.dataset.signature = signature;
  }
  select.value = value;
  select.disabled = options.length === 1 && options[0].value === '';
}

function init() {
  applyLabels();
  for (const button of document.querySelectorAll('[data-lang-toggle]')) button.addEventListener('click', toggleLang);
  window.addEventListener('langchange', () => {
    if (current) {
      renderHead();
      renderContext(store.get());
    }
  });
  $('#sign-in-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => {
    clearAdminToken();
    showSignIn();
  });
  onUnauthorized(() => {
    if (!adminToken()) return;
    clearAdminToken();
    showSignIn(t('auth.expired'));
  });
  $('#ctx-project').addEventListener('change', (e) => store.choose({ project: e.target.value }));
  $('#ctx-token').addEventListener('change', (e) => store.choose({ token: e.target.value }));
  store.subscribe(renderContext);
  window.addEventListener('hashchange', route);
  for (const section of Object.values(SECTIONS)) section.init();
  if (adminToken()) showApp();
  else showSignIn();
}

init();
