// A minimal server of the seed protocol, to show implementers what the conformance kit
// needs from theirs (docs/conformance.md): the admin calls that create and delete
// projects and tokens, and the base messages over WebSocket: bind, send, multicast,
// broadcast, list, online, presence notices and offline delivery. Everything lives in
// memory. It leaves out SSE, long polling, the heartbeat, rooms and mail, so the kit
// reports those cases as failed, each with its reason.
//
// Run: npm ci && node server.mjs --admin-token SECRET [--port 8080]
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';

const options = parseOptions(process.argv.slice(2));
const projects = new Map();  // key -> { key, name, createdAt, tokens: Map, sessions: Set, inboxes: Map }

function parseOptions(args) {
  const out = { port: 8080, adminToken: '' };
  for (let i = 0; i < args.length; i += 2) {
    if (args[i] === '--port') out.port = Number(args[i + 1]);
    else if (args[i] === '--admin-token') out.adminToken = args[i + 1] ?? '';
    else throw new Error(`unknown option ${args[i]} (options: --admin-token T, --port N)`);
  }
  if (!out.adminToken) throw new Error('--admin-token is required');
  return out;
}

// ---- HTTP: the admin API -----------------------------------------------------------

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function refuse(res, status, code, msg) {
  answer(res, status, { status: 'error', code, msg });
}

function publicToken(t, projectKey) {
  return { token: t.token, projectKey, expiresAt: t.expiresAt, createdAt: t.createdAt };
}

function projectSummary(p) {
  const online = new Set([...p.sessions].map((s) => s.uid).filter(Boolean));
  return {
    key: p.key, name: p.name, createdAt: p.createdAt, connections: p.sessions.size, online: online.size,
    tokens: [...p.tokens.values()].map((t) => ({ token: t.token, expiresAt: t.expiresAt, createdAt: t.createdAt })),
  };
}

// Closes the sessions of a project (or of one of its tokens) that the admin took away.
function closeSessions(p, reason, token) {
  for (const s of p.sessions) if (!token || s.token === token) s.ws.close(1008, reason);
}

const thirtyDays = 30 * 24 * 3600 * 1000;

// Each admin route: (body, query, res). Bodies were parsed as JSON before.
const adminRoutes = {
  'POST /project': (body, query, res) => {
    if (typeof body.key !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(body.key)) {
      return refuse(res, 400, 'bad_request', 'key must match [A-Za-z0-9_-]{1,64}');
    }
    if (projects.has(body.key)) return refuse(res, 409, 'project_exists', `project ${body.key} exists`);
    const p = { key: body.key, name: String(body.name ?? ''), createdAt: Date.now(), tokens: new Map(),
      sessions: new Set(), inboxes: new Map() };
    projects.set(p.key, p);
    answer(res, 200, { status: 'success', key: p.key, name: p.name, createdAt: p.createdAt });
  },
  'GET /project': (body, query, res) => {
    answer(res, 200, { status: 'success', projects: [...projects.values()].map(projectSummary) });
  },
  'DELETE /project': (body, query, res) => {
    const p = projects.get(query.get('key'));
    if (!p) return refuse(res, 404, 'project_not_found', 'no such project');
    projects.delete(p.key);
    closeSessions(p, 'project_deleted');
    answer(res, 200, { status: 'success' });
  },
  'POST /token': (body, query, res) => {
    const p = projects.get(body.projectKey);
    if (!p) return refuse(res, 404, 'project_not_found', 'no such project');
    const now = Date.now();
    const t = { token: randomBytes(16).toString('hex'), createdAt: now,
      expiresAt: body.expiresAt === undefined ? now + thirtyDays : body.expiresAt };
    p.tokens.set(t.token, t);
    answer(res, 200, { status: 'success', ...publicToken(t, p.key) });
  },
  'PATCH /token': (body, query, res) => {
    const t = projects.get(body.projectKey)?.tokens.get(body.token);
    if (!t) return refuse(res, 404, 'token_not_found', 'no such token');
    t.expiresAt = body.expiresAt ?? null;
    if (t.expiresAt !== null && t.expiresAt <= Date.now()) closeSessions(projects.get(body.projectKey), 'token_expired', t.token);
    answer(res, 200, { status: 'success', ...publicToken(t, body.projectKey) });
  },
  'DELETE /token': (body, query, res) => {
    const p = projects.get(query.get('projectKey'));
    if (!p?.tokens.delete(query.get('token'))) return refuse(res, 404, 'token_not_found', 'no such token');
    closeSessions(p, 'token_revoked', query.get('token'));
    answer(res, 200, { status: 'success' });
  },
};

function handleHttp(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const route = adminRoutes[`${req.method} ${url.pathname}`];
  if (!route) return refuse(res, 404, 'not_found', `${req.method} ${url.pathname} is not offered by this server`);
  if (req.headers.authorization !== `Bearer ${options.adminToken}`) {
    return refuse(res, 401, 'unauthorized', 'the admin token is missing or wrong');
  }
  let text = '';
  req.on('data', (chunk) => (text += chunk));
  req.on('end', () => {
    let body = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return refuse(res, 400, 'bad_request', 'the body is not JSON');
    }
    route(body, url.searchParams, res);
  });
}

// ---- WebSocket: the seed messages --------------------------------------------------

// Who may open a connection: a known project and one of its tokens, not expired.
function admission(url) {
  const p = projects.get(url.searchParams.get('project'));
  if (!p) return { status: 404, code: 'project_not_found' };
  const t = p.tokens.get(url.searchParams.get('token'));
  if (!t) return { status: 401, code: 'invalid_token' };
  if (t.expiresAt !== null && t.expiresAt <= Date.now()) return { status: 401, code: 'token_expired' };
  return { project: p, token: t.token };
}

function sessionsOf(p, uid) {
  return [...p.sessions].filter((s) => s.uid === uid);
}

function send(session, message) {
  session.ws.send(JSON.stringify(message));
}

function notifyOthers(session, message) {
  for (const other of session.project.sessions) if (other !== session) send(other, message);
}

// Delivers `msg` to every session of `to`, or keeps it for the uid's next bind. True when live.
function deliver(session, to, msg) {
  const direct = { type: 'direct', from: session.uid, to, msg, timestamp: Date.now() };
  const live = sessionsOf(session.project, to);
  for (const s of live) send(s, direct);
  if (live.length === 0) {
    const inbox = session.project.inboxes.get(to) ?? [];
    session.project.inboxes.set(to, [...inbox, { ...direct, offline: true }]);
  }
  return live.length > 0;
}

const needsBind = new Set(['send', 'multicast', 'broadcast']);

function invalid(session, why) {
  send(session, { type: 'error', code: 'invalid_message', msg: why });
}

const messageHandlers = {
  bind: (session, m) => {
    if (typeof m.uid !== 'string' || m.uid.length < 1 || m.uid.length > 128) {
      return invalid(session, 'uid must be a string of 1 to 128 characters');
    }
    if (session.uid && session.uid !== m.uid) {
      return send(session, { type: 'error', code: 'already_bound', msg: `this connection is bound to ${session.uid}` });
    }
    const firstSession = sessionsOf(session.project, m.uid).length === 0;
    session.uid = m.uid;
    send(session, { type: 'bind_success', uid: m.uid });
    for (const stored of session.project.inboxes.get(m.uid) ?? []) send(session, stored);
    session.project.inboxes.delete(m.uid);
    if (firstSession) notifyOthers(session, { type: 'online', uid: m.uid, timestamp: Date.now() });
  },
  send: (session, m) => {
    if (typeof m.to !== 'string' || !('msg' in m)) return invalid(session, 'send needs to (a uid) and msg');
    const live = deliver(session, m.to, m.msg);
    send(session, live ? { type: 'send_success', to: m.to } : { type: 'send_success', to: m.to, offline: true });
  },
  multicast: (session, m) => {
    if (!Array.isArray(m.to) || m.to.length === 0 || !('msg' in m)) return invalid(session, 'multicast needs to (uids) and msg');
    const to = [...new Set(m.to)];
    const live = to.filter((uid) => deliver(session, uid, m.msg));
    send(session, { type: 'send_success', to: live, offline: to.filter((uid) => !live.includes(uid)) });
  },
  broadcast: (session, m) => {
    if (!('msg' in m)) return invalid(session, 'broadcast needs msg');
    const message = { type: 'broadcast', from: session.uid, msg: m.msg, timestamp: Date.now() };
    for (const s of session.project.sessions) send(s, message);
  },
  list: (session) => {
    const uids = [...new Set([...session.project.sessions].map((s) => s.uid).filter(Boolean))].sort();
    send(session, { type: 'list', uids });
  },
  online: (session, m) => {
    send(session, { type: 'online_result', uid: m.uid, online: sessionsOf(session.project, m.uid).length > 0 });
  },
};

function onMessage(session, data) {
  let m;
  try {
    m = JSON.parse(data.toString());
  } catch {
    return send(session, { type: 'error', code: 'invalid_json', msg: 'the message is not JSON' });
  }
  const handler = messageHandlers[m?.type];
  if (!handler) return send(session, { type: 'error', code: 'unknown_type', msg: `unknown type ${m?.type}` });
  if (needsBind.has(m.type) && !session.uid) {
    return send(session, { type: 'error', code: 'not_bound', msg: 'bind a uid first' });
  }
  handler(session, m);
}

function onClose(session) {
  session.project.sessions.delete(session);
  if (session.uid && sessionsOf(session.project, session.uid).length === 0) {
    notifyOthers(session, { type: 'offline', uid: session.uid, timestamp: Date.now() });
  }
}

const server = http.createServer(handleHttp);
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  const admitted = url.pathname === '/ws' ? admission(url) : { status: 404, code: 'not_found' };
  if (!admitted.project) {
    const body = JSON.stringify({ status: 'error', code: admitted.code, msg: 'connection refused' });
    socket.end(`HTTP/1.1 ${admitted.status} Refused\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const session = { ws, project: admitted.project, token: admitted.token, uid: null };
    admitted.project.sessions.add(session);
    send(session, { type: 'connected', connId: randomBytes(16).toString('hex') });
    ws.on('message', (data) => onMessage(session, data));
    ws.on('close', () => onClose(session));
  });
});
server.listen(options.port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
