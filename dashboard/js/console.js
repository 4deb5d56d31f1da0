// The console: a WebSocket session of the chosen project and token, as a client sees it.
// Connect (binding a uid), write any client message in a JSON editor (a template for each
// type of schemas/client/), send it, and see every message in both directions. Below it,
// a server-API call (POST /api/..., docs/server-api.md) with the project's server secret.
import { serverUrl } from './api.js';
import { t } from './i18n.js';
import * as store from './store.js';
import { $, el, errorText } from './ui.js';

// One template per client message type (docs/protocol.md has the same examples).
export const TEMPLATES = {
  bind: { type: 'bind', uid: 'user_1' },
  send: { type: 'send', to: 'user_2', msg: { text: 'hello' } },
  multicast: { type: 'multicast', to: ['user_2', 'user_3'], msg: 'meeting in 5 minutes' },
  broadcast: { type: 'broadcast', msg: { notice: 'maintenance at 22:00' } },
  list: { type: 'list' },
  online: { type: 'online', uid: 'user_2' },
  ack: { type: 'ack', ids: ['01JD3M5A2C8H1N4PQ7RS0TVWXY'] },
  sub: { type: 'sub', events: ['online'] },
  unsub: { type: 'unsub', events: ['online', 'offline'] },
  lsunsub: { type: 'lsunsub' },
  room_create: { type: 'room_create', roomId: 'lobby' },
  room_join: { type: 'room_join', roomId: 'lobby' },
  room_leave: { type: 'room_leave', roomId: 'lobby' },
  room_send: { type: 'room_send', roomId: 'lobby', msg: { text: 'hello all' } },
  room_history: { type: 'room_history', roomId: 'lobby', limit: 10 },
  webrtc_offer: { type: 'webrtc_offer', roomId: 'lobby', to: 'user_2', sdp: { type: 'offer', sdp: 'v=0\r\n' } },
  webrtc_answer: { type: 'webrtc_answer', roomId: 'lobby', to: 'user_1', sdp: { type: 'answer', sdp: 'v=0\r\n' } },
  webrtc_ice: { type: 'webrtc_ice', roomId: 'lobby', to: 'user_2', candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
  ping: { type: 'ping' },
  pong: { type: 'pong' },
};

// The server API's message calls and a body for each.
export const API_CALLS = {
  send: { path: () => 'api/send', body: { to: 'user_1', msg: { text: 'Your order shipped' } } },
  multicast: { path: () => 'api/multicast', body: { to: ['user_1', 'user_2'], msg: 'maintenance at 22:00' } },
  broadcast: { path: () => 'api/broadcast', body: { msg: { banner: 'v2 is out' } } },
  room_send: { path: (room) => `api/rooms/${encodeURIComponent(room)}/send`, body: { msg: { notice: 'quiet hours' } } },
};

let ws = null;

export function init() {
  const templates = $('#console-template');
  templates.replaceChildren(...Object.keys(TEMPLATES).map((type) => el('option', { value: type }, type)));
  templates.addEventListener('change', () => useTemplate(templates.value));
  useTemplate('bind');
  $('#console-connect').addEventListener('click', () => (ws ? disconnect() : connect()));
  $('#console-form').addEventListener('submit', onSend);
  $('#console-clear').addEventListener('click', () => $('#console-log').replaceChildren());
  const calls = $('#api-call');
  calls.replaceChildren(...Object.keys(API_CALLS).map((name) => el('option', { value: name }, `POST ${API_CALLS[name].path('{roomId}')}`)));
  calls.addEventListener('change', () => useApiCall(calls.value));
  useApiCall('send');
  $('#api-form').addEventListener('submit', onApiCall);
  store.subscribe(renderState);
  window.addEventListener('langchange', renderState);
}

export function show() {
  renderState();
}

export function stop() {
  disconnect();
}

const pretty = (value) => JSON.stringify(value, null, 2);

function useTemplate(type) {
  $('#console-template').value = type;
  $('#console-message').value = pretty(TEMPLATES[type]);
}

function useApiCall(name) {
  $('#api-call').value = name;
  $('#api-room-field').hidden = name !== 'room_send';
  $('#api-body').value = pretty(API_CALLS[name].body);
}

// ---- the WebSocket session ----------------------------------------------------------------

function connect() {
  const { project, token } = store.get();
  if (!project || !token) return;
  const url = serverUrl(`ws?project=${encodeURIComponent(project)}&token=${encodeURIComponent(token)}&mode=long`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  ws = socket;
  const uid = $('#console-uid').value.trim();
  socket.onmessage = (event) => onServerMessage(socket, event.data, uid);
  socket.onclose = (event) => {
    logLine('local', t('console.closed', { code: event.code, reason: event.reason || '–' }));
    if (ws === socket) ws = null;
    renderState();
  };
  logLine('local', t('console.connecting', { project }));
  renderState();
}

function onServerMessage(socket, data, uid) {
  logLine('in', data);
  let msg;
  try {
    msg = JSON.parse(data);
  } catch {
    return;  // shown as it came; nothing to answer
  }
  if (msg.type === 'connected') renderState();
  if (msg.type === 'connected' && uid) transmit(socket, { type: 'bind', uid });
  // Answered here so a long-mode session stays up while the console is open.
  if (msg.type === 'ping') transmit(socket, { type: 'pong' });
}

function transmit(socket, message) {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  socket.send(text);
  logLine('out', text);
}

function disconnect() {
  ws?.close(1000);
}

// The editor's text, as typed, once it is one JSON object: the server judges the rest.
function onSend(event) {
  event.preventDefault();
  const error = $('#console-error');
  error.hidden = true;
  const text = $('#console-message').value;
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return showError(error, t('console.badJson', { msg: e.message }));
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return showError(error, t('console.notObject'));
  if (ws?.readyState !== WebSocket.OPEN) return showError(error, t('console.notConnected'));
  transmit(ws, JSON.stringify(parsed));
}

function showError(node, message) {
  node.textContent = message;
  node.hidden = false;
}

// One line of the log: when, which way (← from wsd, → to wsd, · the console's own note),
// the message's type and the message exactly as it went over the wire.
function logLine(direction, text) {
  const log = $('#console-log');
  const arrow = { in: '←', out: '→', local: '·' }[direction];
  log.append(
    el(
      'li',
      { class: `log-line ${direction}` },
      el('span', { class: 'log-time' }, clock()),
      el('span', { class: 'log-dir' }, arrow),
      el('span', { class: 'log-type' }, direction === 'local' ? '' : typeOf(text)),
      el('span', { class: 'log-detail' }, text),
    ),
  );
  log.scrollTop = log.scrollHeight;
}

function typeOf(text) {
  try {
    return String(JSON.parse(text)?.type ?? '');
  } catch {
    return '';
  }
}

function clock() {
  const now = new Date();
  const pad = (n, width = 2) => String(n).padStart(width, '0');
  return `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
}

function renderState() {
  const { project, token } = store.get();
  const ready = !!(project && token);
  $('#console-need-token').hidden = ready;
  const open = !!ws;
  const button = $('#console-connect');
  button.textContent = t(open ? 'console.disconnect' : 'console.connect');
  button.disabled = !open && !ready;
  $('#console-send').disabled = ws?.readyState !== WebSocket.OPEN;
  const state = $('#console-state');
  state.textContent = t(ws?.readyState === WebSocket.OPEN ? 'console.open' : open ? 'console.opening' : 'console.idle');
  state.className = `badge ${ws?.readyState === WebSocket.OPEN ? 'good' : 'neutral'}`;
  $('#api-project').textContent = project || '–';
}

// ---- the server API -----------------------------------------------------------------------

async function onApiCall(event) {
  event.preventDefault();
  const error = $('#api-error');
  error.hidden = true;
  const { project } = store.get();
  const call = API_CALLS[$('#api-call').value];
  const room = $('#api-room').value.trim();
  let body;
  try {
    body = JSON.parse($('#api-body').value);
  } catch (e) {
    return showError(error, t('console.badJson', { msg: e.message }));
  }
  if ($('#api-call').value === 'room_send' && !room) return showError(error, t('console.needRoom'));
  const url = serverUrl(`${call.path(room)}?project=${encodeURIComponent(project)}`);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${$('#api-secret').value.trim()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await res.text();
    $('#api-status').textContent = `${res.status}`;
    $('#api-status').className = `badge ${res.ok ? 'good' : 'bad'}`;
    $('#api-status').hidden = false;
    $('#api-answer').textContent = answer;
  } catch (e) {
    showError(error, errorText(e));
  }
}
