// A deliberately broken server for the kit's self-test. It accepts the admin calls and
// WebSocket connections like a real server, then gets the protocol subtly wrong:
//  - bind_success names another uid;
//  - send is acknowledged but never delivered;
//  - online_result lacks its `online` field (a schema violation);
//  - it sends no pings in mode=long.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    if (req.url.startsWith('/token') && req.method === 'POST') {
      res.end(JSON.stringify({ status: 'success', token: 'broken-token', projectKey: 'x', expiresAt: null, createdAt: 0 }));
    } else {
      res.end(JSON.stringify({ status: 'success', key: 'x', name: 'x', createdAt: 0, projects: [] }));
    }
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
