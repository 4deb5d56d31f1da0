// One client interface over the three transports, so a test can run unchanged over
// WebSocket (Node's `ws`), SSE (the `eventsource` package + fetch POSTs) and long polling
// (fetch). Every message received is validated against schemas/server/<type>.json.
import WebSocket from 'ws';
import { EventSource } from 'eventsource';
import { assertServerMessage, assertValid } from './schemas.mjs';

export const TRANSPORTS = ['ws', 'sse', 'poll'];

const matcher = (p) => (typeof p === 'string' ? (m) => m.type === p : p ?? (() => true));

class Inbox {
  constructor(name) {
    this.name = name;
    this.messages = [];
    this.waiters = [];
    this.errors = [];
  }
  push(message) {
    try {
      assertServerMessage(message);
    } catch (e) {
      this.errors.push(e);
    }
    this.messages.push(message);
    for (const w of [...this.waiters]) w();
  }
  // Resolves with the first unconsumed message matching `pred`, consuming it.
  next(pred, timeoutMs = 5000) {
    const match = matcher(pred);
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.errors.length) return finish(reject, this.errors.shift());
        const i = this.messages.findIndex(match);
        if (i >= 0) finish(resolve, this.messages.splice(i, 1)[0]);
      };
      const timer = setTimeout(() => {
        finish(reject, new Error(`${this.name}: no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`));
      }, timeoutMs);
      const finish = (fn, value) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        fn(value);
      };
      this.waiters.push(check);
      check();
    });
  }
  async expectNone(pred, ms) {
    const match = matcher(pred);
    await new Promise((r) => setTimeout(r, ms));
    const found = this.messages.find(match);
    if (found) throw new Error(`${this.name}: unexpected ${JSON.stringify(found)}`);
  }
}

function query(project, token, mode) {
  const q = new URLSearchParams({ project, token });
  if (mode) q.set('mode', mode);
  return q.toString();
}

async function connectWs(server, { project, token, mode, name }) {
  const inbox = new Inbox(name);
  const ws = new WebSocket(`${server.wsUrl}/ws?${query(project, token, mode)}`);
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('message', (data) => inbox.push(JSON.parse(data.toString())));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body) })));
    });
  });
  const connected = await inbox.next('connected');
  return {
    transport: 'ws', connId: connected.connId, inbox, closed, raw: ws,
    send: async (obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)),
    close: () => ws.close(),
  };
}

// POST /sse or /poll with the session, proved by its secret; resolves with {status, body}.
async function post(server, path, project, token, connId, secret, obj) {
  const res = await fetch(`${server.url}/${path}?${query(project, token)}&connId=${connId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'wsd-session-secret': secret },
    body: typeof obj === 'string' ? obj : JSON.stringify(obj),
  });
  const body = await res.json();
  assertValid(res.status === 200 ? 'http/post_ok_response' : 'http/error_response', body);
  return { status: res.status, body };
}

async function connectSse(server, { project, token, mode, name }) {
  const inbox = new Inbox(name);
  let resolveClosed;
  const closed = new Promise((r) => (resolveClosed = r));
  const es = new EventSource(`${server.url}/sse?${query(project, token, mode)}`);
  es.onmessage = (e) => {
    const message = JSON.parse(e.data);
    inbox.push(message);
    if (message.type === 'closed') {
      es.close();
      resolveClosed({ code: message.code, reason: message.reason });
    }
  };
  const connected = await new Promise((resolve, reject) => {
    es.onerror = (e) => {
      if (es.readyState === EventSource.CLOSED) reject(Object.assign(new Error(`refused ${e.code}`), { status: e.code }));
    };
    inbox.next('connected').then(resolve, reject);
  });
  es.onerror = null;
  return {
    transport: 'sse', connId: connected.connId, inbox, closed, raw: es,
    secret: connected.secret,
    send: (obj) => post(server, 'sse', project, token, connected.connId, connected.secret, obj),
    close: () => es.close(),
  };
}

async function connectPoll(server, { project, token, mode, name }) {
  const inbox = new Inbox(name);
  let resolveClosed;
  const closed = new Promise((r) => (resolveClosed = r));
  const first = await fetch(`${server.url}/poll?${query(project, token, mode)}`);
  const firstBody = await first.json();
  if (first.status !== 200) throw Object.assign(new Error(`refused ${first.status}`), { status: first.status, body: firstBody });
  assertValid('http/poll_response', firstBody);
  firstBody.forEach((m) => inbox.push(m));
  const connected = await inbox.next('connected');
  const { connId, secret } = connected;
  let open = true;
  const controller = new AbortController();
  (async () => {
    while (open) {
      try {
        const res = await fetch(`${server.url}/poll?${query(project, token)}&connId=${connId}`, {
          signal: controller.signal,
          headers: { 'wsd-session-secret': secret },
        });
        const body = await res.json();
        if (res.status !== 200) {
          open = false;
          resolveClosed({ code: 1006, reason: body.code });
          break;
        }
        assertValid('http/poll_response', body);
        for (const m of body) {
          inbox.push(m);
          if (m.type === 'closed') {
            open = false;
            resolveClosed({ code: m.code, reason: m.reason });
          }
        }
      } catch {
        open = false;
      }
    }
  })();
  return {
    transport: 'poll', connId, secret, inbox, closed,
    send: (obj) => post(server, 'poll', project, token, connId, secret, obj),
    close: () => {
      open = false;
      controller.abort();
    },
  };
}

const connectors = { ws: connectWs, sse: connectSse, poll: connectPoll };

export async function connect(server, { project, token, mode = 'short', transport = 'ws', name }) {
  const client = await connectors[transport](server, { project, token, mode, name: name ?? `${transport}-client` });
  client.next = (pred, timeoutMs) => client.inbox.next(pred, timeoutMs);
  client.expectNone = (pred, ms = 300) => client.inbox.expectNone(pred, ms);
  return client;
}

// Binds `uid` and waits for bind_success.
export async function bound(server, opts, uid) {
  const client = await connect(server, opts);
  await client.send({ type: 'bind', uid });
  await client.next('bind_success');
  client.uid = uid;
  return client;
}
