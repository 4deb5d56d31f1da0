// Live view: the chosen project's events as wsd applies them (GET /admin/events, read
// with fetch so the admin token travels in a header), newest first; events per second
// over the last 10 s and a 60-second chart, computed here from the stream; connections
// and online uids from GET /project, read again whenever a connection opens or closes.
import { streamEvents } from './api.js';
import { formatTime, t } from './i18n.js';
import * as store from './store.js';
import { $, el } from './ui.js';

const MAX_ROWS = 500;
const RATE_WINDOW_S = 10;
const CHART_S = 60;
const RETRY_MS = 2000;
// Events after which the connection counts change: read GET /project again.
const PRESENCE = new Set(['conn.open', 'conn.close', 'uid.bind', 'node.down', 'node.start', 'token.revoke', 'token.update']);

let stream;        // {project, controller} while streaming
let status = 'stopped';
let paused = false;
let total = 0;
let startedAt = 0;
const perSecond = new Map();  // unix second -> events
let ticker;
let presenceTimer;

export function init() {
  $('#live-pause').addEventListener('click', () => {
    paused = !paused;
    $('#live-pause').textContent = paused ? t('live.resume') : t('live.pause');
    $('#live-pause').setAttribute('aria-pressed', String(paused));
  });
  $('#live-clear').addEventListener('click', () => {
    $('#live-table tbody').replaceChildren();
    renderEmpty();
  });
  $('#live-filter').addEventListener('input', applyFilter);
  store.subscribe((state) => {
    renderCounts(state);
    if (stream && stream.project !== state.project) restart();
  });
  window.addEventListener('langchange', () => {
    renderStatus();
    $('#live-pause').textContent = paused ? t('live.resume') : t('live.pause');
  });
  renderStatus();
  renderChart();
}

export function show() {
  if (!stream || stream.project !== store.get().project) restart();
  renderCounts(store.get());
}

export function stop() {
  stream?.controller.abort();
  stream = undefined;
  clearInterval(ticker);
  ticker = undefined;
  setStatus('stopped');
}

function restart() {
  stop();
  const project = store.get().project;
  $('#live-table tbody').replaceChildren();
  total = 0;
  perSecond.clear();
  renderEmpty();
  if (!project) return;
  stream = { project, controller: new AbortController() };
  startedAt = Date.now();
  ticker = setInterval(tick, 1000);
  run(stream);
}

async function run(current) {
  while (stream === current) {
    setStatus('connecting');
    try {
      await streamEvents(current.project, {
        signal: current.controller.signal,
        onReady: () => setStatus('streaming'),
        onEvent: onEvent,
      });
    } catch (e) {
      if (current.controller.signal.aborted) return;
      if (e.status === 404 || e.status === 401) {
        setStatus('stopped');
        return;
      }
    }
    if (stream !== current) return;
    setStatus('retrying');
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}

function onEvent(event) {
  total += 1;
  const second = Math.floor(Date.now() / 1000);
  perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  if (PRESENCE.has(event.type)) refreshPresenceSoon();
  $('#live-total').textContent = String(total);
  if (paused) return;
  const body = $('#live-table tbody');
  const row = rowOf(event);
  body.prepend(row);
  row.hidden = !matches(row);
  while (body.children.length > MAX_ROWS) body.lastElementChild.remove();
  renderEmpty();
}

function refreshPresenceSoon() {
  clearTimeout(presenceTimer);
  presenceTimer = setTimeout(() => store.refresh().catch(() => {}), 150);
}

// ---- rates -----------------------------------------------------------------------------

function tick() {
  const now = Math.floor(Date.now() / 1000);
  for (const second of perSecond.keys()) if (second <= now - CHART_S) perSecond.delete(second);
  let recent = 0;
  for (let s = now - RATE_WINDOW_S + 1; s <= now; s += 1) recent += perSecond.get(s) ?? 0;
  const span = Math.min(RATE_WINDOW_S, Math.max(1, (Date.now() - startedAt) / 1000));
  const rate = recent / span;
  $('#live-rate').textContent = rate >= 10 ? rate.toFixed(0) : rate.toFixed(1);
  renderChart();
}

function renderChart() {
  const svg = $('#live-chart');
  const now = Math.floor(Date.now() / 1000);
  const values = Array.from({ length: CHART_S }, (_, i) => perSecond.get(now - CHART_S + 1 + i) ?? 0);
  const max = Math.max(1, ...values);
  const width = 600 / CHART_S;
  const ns = 'http://www.w3.org/2000/svg';
  const bars = values.map((v, i) => {
    const h = v === 0 ? 1 : Math.max(3, (v / max) * 74);
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', String(i * width + 1));
    rect.setAttribute('y', String(80 - h));
    rect.setAttribute('width', String(width - 2));
    rect.setAttribute('height', String(h));
    rect.setAttribute('rx', '1.5');
    rect.setAttribute('class', v === 0 ? 'bar idle' : 'bar');
    return rect;
  });
  svg.replaceChildren(...bars);
  svg.setAttribute('aria-label', `${t('live.rate')}: max ${max}`);
}

function renderCounts(state) {
  const project = state.projects.find((p) => p.key === state.project);
  $('#live-connections').textContent = String(project?.connections ?? 0);
  $('#live-online').textContent = String(project?.online ?? 0);
}

// ---- the tail --------------------------------------------------------------------------

const CATEGORY = { conn: 'blue', uid: 'teal', message: 'green', query: 'gray', room: 'violet', signal: 'violet', mail: 'orange', project: 'gray', token: 'gray', node: 'gray' };

function rowOf(event) {
  const category = CATEGORY[event.type.split('.')[0]] ?? 'gray';
  const details = summarize(event.data);
  return el(
    'tr',
    { 'data-type': event.type, 'data-text': `${event.type} ${event.conn} ${details}`.toLowerCase() },
    el('td', { class: 'mono muted nowrap' }, `${formatTime(event.ts, false)}.${String(event.ts % 1000).padStart(3, '0')}`),
    el('td', {}, el('span', { class: `type ${category}` }, event.type)),
    el('td', { class: 'mono muted', title: event.conn }, event.conn ? `${event.conn.slice(0, 12)}…` : '–'),
    el('td', { class: 'mono details', title: JSON.stringify(event.data) }, details),
  );
}

// `key=value` for each data field; long values cut (an SDP is kilobytes).
function summarize(data) {
  return Object.entries(data ?? {})
    .map(([key, value]) => {
      let text = typeof value === 'string' ? value : JSON.stringify(value);
      if (key === 'token' && typeof value === 'string') text = `${value.slice(0, 8)}…`;
      if (text.length > 60) text = `${text.slice(0, 57)}…`;
      return `${key}=${text}`;
    })
    .join('  ');
}

const matches = (row) => {
  const filter = $('#live-filter').value.trim().toLowerCase();
  return !filter || row.dataset.text.includes(filter);
};

function applyFilter() {
  for (const row of $('#live-table tbody').children) row.hidden = !matches(row);
}

function renderEmpty() {
  const empty = $('#live-table tbody').children.length === 0;
  $('#live-empty').hidden = !empty;
  $('#live-table').hidden = empty;
}

function setStatus(next) {
  status = next;
  renderStatus();
}

function renderStatus() {
  const badge = $('#live-status');
  badge.textContent = t(`live.${status}`);
  badge.dataset.status = status;
  badge.className = `badge ${status === 'streaming' ? 'good pulse' : status === 'retrying' ? 'warn' : 'neutral'}`;
}
