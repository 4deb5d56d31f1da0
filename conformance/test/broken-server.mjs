// A deliberately broken server for the kit's self-test. It accepts the admin calls and
// WebSocket connections like a real server, then gets the protocol subtly wrong:
//  - bind_success names another uid;
//  - send is acknowledged but never delivered;
//  - online_result lacks its `online` field (a schema violation);
//  - it sends no pings in mode=long;
//  - SSE: a stream that comes back with Last-Event-ID gets a new session, not its own;
//  - polling sessions never end, however long nobody polls them;
//  - POST /mail answers the seed's success body to anything: no rate limit, no checks.
import http from 'node:http';
import { WebSocketServer } from 'ws';

let sessions = 0;
const mailsByToken = new Map();

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function openSse(res) {
  const connId = `s${++sessions}`;  // whatever Last-Event-ID says
  res.writeHead(200, { 'content-type': 'text/event-stream', 'set-cookie': `wsd_conn=${connId}; Path=/` });
  res.write('retry: 1000\n\n');
  res.write(`id: ${connId}:1\ndata: ${JSON.stringify({ type: 'connected', connId })}\n\n`);
}

function poll(url, res) {
  if (!url.searchParams.has('connId')) return json(res, 200, [{ type: 'connected', connId: `p${++sessions}` }]);
  setTimeout(() => json(res, 200, []), 500);  // any connId, forever
}

function mail(url, res) {
  const token = url.searchParams.get('token');
  const count = (mailsByToken.get(token) ?? 0) + 1;
  mailsByToken.set(token, count);
  json(res, 200, { status: 'success', msg: 'Email sent successfully', rateLimit: { allowed: true, count, max: 10 } });
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://broken');
    if (url.pathname === '/sse' && req.method === 'GET') return openSse(res);
    if ((url.pathname === '/sse' || url.pathname === '/poll') && req.method === 'POST') return json(res, 200, { status: 'ok' });
    if (url.pathname === '/poll') return poll(url, res);
    if (url.pathname === '/mail') return mail(url, res);
    if (url.pathname === '/token' && req.method === 'POST') {
      return json(res, 200, { status: 'success', token: 'broken-token', projectKey: 'x', expiresAt: null, createdAt: 0 });
    }
    json(res, 200, { status: 'success', key: 'x', name: 'x', createdAt: 0, projects: [] });
  });
});
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws) => {
  ws.send(JSON.stringify({ type: 'connected', connId: 'c1' }));
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'bind') ws.send(JSON.stringify({ type: 'bind_success', uid: 'someone-else' }));
    if (m.type === 'send') ws.send(JSON.stringify({ type: 'send_success', to: m.to }));
    if (m.type === 'online') ws.send(JSON.stringify({ type: 'online_result', uid: m.uid }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
