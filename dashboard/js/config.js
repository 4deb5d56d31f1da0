// Connection config: for the chosen project and token, the URL and a ready-to-copy
// snippet for each transport of the raw protocol, with a button that opens a real
// connection of that transport and shows its connId; then the same connection with each
// SDK (@wsd/client in JavaScript, wsclient in C++).
import { serverUrl } from './api.js';
import { t } from './i18n.js';
import * as store from './store.js';
import { $, copyButton, el } from './ui.js';

const TRANSPORTS = ['ws', 'sse', 'poll'];
const SDKS = ['js', 'cpp'];

export function init() {
  for (const id of ['#config-uid', '#config-mode']) $(id).addEventListener('input', () => render(store.get()));
  store.subscribe(render);
  window.addEventListener('langchange', () => render(store.get(), true));
}

export function show() {
  render(store.get(), true);
}

function settings(state) {
  const http = serverUrl('').href.replace(/\/$/, '');
  return {
    project: state.project,
    token: state.token,
    uid: $('#config-uid').value.trim() || 'user_1',
    mode: $('#config-mode').value,
    http,
    ws: http.replace(/^http/, 'ws'),
  };
}

const query = (s) => `project=${encodeURIComponent(s.project)}&token=${encodeURIComponent(s.token)}`;

export function urlOf(transport, s) {
  const path = { ws: 'ws', sse: 'sse', poll: 'poll' }[transport];
  return `${transport === 'ws' ? s.ws : s.http}/${path}?${query(s)}&mode=${s.mode}`;
}

function snippet(transport, s) {
  const uid = JSON.stringify(s.uid).replace(/^"|"$/g, '').replace(/'/g, "\\'");
  if (transport === 'ws') {
    return `const ws = new WebSocket('${urlOf('ws', s)}');
ws.onopen = () => {
  ws.send(JSON.stringify({ type: 'bind', uid: '${uid}' }));
};
ws.onmessage = (event) => {
  const msg = JSON.parse(event.data);
  switch (msg.type) {
    case 'connected': console.log('Connected:', msg.connId); break;
    case 'bind_success': console.log('Bound:', msg.uid); break;
    case 'direct': console.log('Received:', msg); break;
    case 'ping': ws.send(JSON.stringify({ type: 'pong' })); break;
  }
};
// Once bound: send('user_2', 'Hello'), broadcast('Hi everyone')
const send = (to, msg) => ws.send(JSON.stringify({ type: 'send', to, msg }));
const broadcast = (msg) => ws.send(JSON.stringify({ type: 'broadcast', msg }));`;
  }
  if (transport === 'sse') {
    return `const query = '${query(s)}';
const eventSource = new EventSource('${s.http}/sse?' + query + '&mode=${s.mode}');
let connId, secret;
// Actions go by HTTP POST, naming the session and proving it is ours with its secret
const post = (message) => fetch('${s.http}/sse?' + query + '&connId=' + connId, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'Wsd-Session-Secret': secret },
  body: JSON.stringify(message),
});
eventSource.onmessage = (event) => {
  const msg = JSON.parse(event.data);
  if (msg.type === 'connected') {
    ({ connId, secret } = msg);
    post({ type: 'bind', uid: '${uid}' });
  }
  if (msg.type === 'ping') post({ type: 'pong' });
  console.log('Received:', msg);
};
// Once bound: send('user_2', 'Hello')
const send = (to, msg) => post({ type: 'send', to, msg });`;
  }
  return `const base = '${s.http}/poll?${query(s)}';
// Every request after the first names the session and carries its secret
const session = (hello, init = {}) => [base + '&connId=' + hello.connId,
  { ...init, headers: { ...init.headers, 'Wsd-Session-Secret': hello.secret } }];
const post = (hello, message) => fetch(...session(hello, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(message),
}));
async function run() {
  // The first GET opens the session: [{"type":"connected","connId":"...","secret":"..."}]
  const [hello] = await (await fetch(base + '&mode=${s.mode}')).json();
  await post(hello, { type: 'bind', uid: '${uid}' });
  for (;;) {
    // Answers as soon as there is something, or [] after 25 s
    const messages = await (await fetch(...session(hello))).json();
    for (const msg of messages) {
      if (msg.type === 'ping') await post(hello, { type: 'pong' });
      console.log('Received:', msg);
    }
  }
}
run();`;
}

// The SDKs' own first example (sdk-js/README.md, docs/sdk-cpp.md) for this server,
// project, token and uid: each is a whole program.
export function sdkSnippet(sdk, s) {
  const literal = (text) => JSON.stringify(text);
  if (sdk === 'js') {
    return `// npm install @wsd/client (Node 20: and ws); ES module: run it as app.mjs
import { connect } from '@wsd/client';

const client = await connect({
  url: ${literal(s.http)},
  project: ${literal(s.project)},
  token: ${literal(s.token)},
  uid: ${literal(s.uid)},
});
client.on('direct', (m) => console.log(\`\${m.from}: \${JSON.stringify(m.msg)}\`));
client.on('broadcast', (m) => console.log(\`\${m.from} to all: \${JSON.stringify(m.msg)}\`));
await client.send('user_2', 'Hello');  // resolves once wsd took it (send_success)`;
  }
  return `// c++ -std=c++17 app.cpp $(pkg-config --cflags --libs wsclient)   (docs/sdk-cpp.md)
#include <wsclient/wsclient.h>

#include <iostream>

int main() {
  wsclient::Handlers h;
  h.onDirect = [](const wsclient::Direct& m) { std::cout << m.from << ": " << m.msg << std::endl; };
  h.onBroadcast = [](const wsclient::Broadcast& m) { std::cout << m.from << " to all: " << m.msg << std::endl; };
  wsclient::Client client({${literal(s.http)}, ${literal(s.project)}, ${literal(s.token)}}, h);
  client.connect();
  client.bind(${literal(s.uid)});
  client.send("user_2", wsclient::jsonString("Hello"));
  std::cin.get();  // handlers run on the client's own thread until Enter
}`;
}

// ---- a tiny JavaScript highlighter: comments, strings, keywords, numbers --------------
// (the settings section's signing snippet uses it too)

const TOKENS = /(\/\/[^\n]*)|('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)|\b(const|let|new|async|await|for|of|if|switch|case|break|function|return|import|from|int|include|auto)\b|\b(\d+)\b/g;

export function highlight(code) {
  const out = [];
  let last = 0;
  for (const m of code.matchAll(TOKENS)) {
    if (m.index > last) out.push(code.slice(last, m.index));
    const kind = m[1] ? 'c' : m[2] ? 's' : m[3] ? 'k' : 'n';
    out.push(el('span', { class: `tok-${kind}` }, m[0]));
    last = m.index + m[0].length;
  }
  out.push(code.slice(last));
  return out;
}

// ---- trying a transport -----------------------------------------------------------------

// Opens one session of `transport`, binds `uid`, and resolves with its connId; closes it.
async function tryTransport(transport, s) {
  if (transport === 'ws') {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(urlOf('ws', s));
      let connId;
      const timer = setTimeout(() => fail(new Error('timeout')), 8000);
      const fail = (e) => {
        clearTimeout(timer);
        ws.close();
        reject(e);
      };
      ws.onerror = () => fail(new Error('WebSocket error (refused?)'));
      ws.onmessage = (event) => {
        const msg = JSON.parse(event.data);
        if (msg.type === 'connected') {
          connId = msg.connId;
          ws.send(JSON.stringify({ type: 'bind', uid: s.uid }));
        } else if (msg.type === 'bind_success') {
          clearTimeout(timer);
          ws.close(1000);
          resolve(connId);
        } else if (msg.type === 'error') fail(new Error(msg.msg));
      };
    });
  }
  if (transport === 'sse') {
    return new Promise((resolve, reject) => {
      const source = new EventSource(urlOf('sse', s));
      const timer = setTimeout(() => done(reject, new Error('timeout')), 8000);
      const done = (fn, value) => {
        clearTimeout(timer);
        source.close();
        fn(value);
      };
      source.onerror = () => done(reject, new Error('refused (check project and token)'));
      source.onmessage = async (event) => {
        const msg = JSON.parse(event.data);
        if (msg.type !== 'connected') return;
        const res = await postAction('sse', s, msg, { type: 'bind', uid: s.uid });
        done(res.ok ? resolve : reject, res.ok ? msg.connId : new Error(`POST ${res.status}`));
      };
    });
  }
  const res = await fetch(urlOf('poll', s));
  const body = await res.json();
  if (!res.ok) throw new Error(`${body.code}: ${body.msg}`);
  const bound = await postAction('poll', s, body[0], { type: 'bind', uid: s.uid });
  if (!bound.ok) throw new Error(`POST ${bound.status}`);
  return body[0].connId;
}

// A client message for the session `connected` opened, proved by the secret it gave.
const postAction = (path, s, connected, message) =>
  fetch(`${s.http}/${path}?${query(s)}&connId=${encodeURIComponent(connected.connId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'wsd-session-secret': connected.secret },
    body: JSON.stringify(message),
  });

async function onTry(transport, result, button) {
  const s = settings(store.get());
  button.disabled = true;
  result.className = 'test-result pending';
  result.textContent = t('config.testing');
  try {
    const connId = await tryTransport(transport, s);
    result.className = 'test-result ok';
    result.textContent = t('config.connected', { conn: connId });
  } catch (e) {
    result.className = 'test-result bad';
    result.textContent = t('config.failed', { msg: e.message });
  } finally {
    button.disabled = false;
  }
}

// ---- rendering -------------------------------------------------------------------------

function card(transport, s) {
  const url = urlOf(transport, s);
  const code = snippet(transport, s);
  const result = el('span', { class: 'test-result', id: `config-${transport}-result` });
  const button = el('button', { type: 'button', class: 'btn small primary-ghost', id: `config-${transport}-test` }, t('config.test'));
  button.addEventListener('click', () => onTry(transport, result, button));
  return el(
    'div',
    { class: 'card transport', id: `config-${transport}` },
    el('div', { class: 'card-head' }, el('h2', {}, el('span', { class: `dot ${transport}` }), t(`config.${transport}`)), el('span', { class: 'muted' }, t(`config.${transport}Note`))),
    el('div', { class: 'url-row' }, el('code', { class: 'url mono', id: `config-${transport}-url` }, url), copyButton(() => url)),
    el('div', { class: 'code-block' }, el('div', { class: 'code-head' }, el('span', {}, t('config.snippet')), copyButton(() => code)), el('pre', { class: 'code', id: `config-${transport}-snippet` }, el('code', {}, highlight(code)))),
    el('div', { class: 'test-row' }, button, result),
  );
}

function sdkCard(sdk, s) {
  const code = sdkSnippet(sdk, s);
  return el(
    'div',
    { class: 'card transport', id: `config-sdk-${sdk}` },
    el('div', { class: 'card-head' }, el('h2', {}, el('span', { class: `dot sdk-${sdk}` }), t(`config.sdk.${sdk}`)), el('span', { class: 'muted' }, t(`config.sdk.${sdk}Note`))),
    el('div', { class: 'code-block' }, el('div', { class: 'code-head' }, el('span', {}, t('config.snippet')), copyButton(() => code)), el('pre', { class: 'code', id: `config-sdk-${sdk}-snippet` }, el('code', {}, highlight(code)))),
  );
}

let lastKey = '';

function render(state, force = false) {
  const s = settings(state);
  const ready = !!(s.project && s.token);
  $('#config-need-token').hidden = ready;
  const key = JSON.stringify(s);
  if (!force && key === lastKey) return;  // the periodic refresh changed nothing here
  lastKey = key;
  $('#config-cards').replaceChildren(...(ready ? [...TRANSPORTS.map((x) => card(x, s)), ...SDKS.map((x) => sdkCard(x, s))] : []));
}
