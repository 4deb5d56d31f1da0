// Every transport refuses a bad handshake with an HTTP error and a JSON body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer } from './lib/server.mjs';
import { freshProject, issueToken, updateProject } from './lib/admin.mjs';
import { assertValid } from './lib/schemas.mjs';

let server, p;
before(async () => {
  server = await startServer();
  p = await freshProject(server);
});
after(async () => server?.dispose());

function wsRefusal(query) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/ws?${query}`);
    ws.on('open', () => reject(new Error('the handshake was accepted')));
    ws.on('error', () => {});
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
  });
}

async function httpRefusal(path, query) {
  const res = await fetch(`${server.url}/${path}?${query}`);
  return { status: res.status, body: await res.json() };
}

const refusals = (transport, query) =>
  transport === 'ws' ? wsRefusal(query) : httpRefusal(transport, query);

for (const transport of ['ws', 'sse', 'poll']) {
  test(`${transport}: unknown project is 404`, async () => {
    const r = await refusals(transport, `project=nope&token=${p.token}`);
    assert.equal(r.status, 404);
    assert.equal(assertValid('http/error_response', r.body).code, 'project_not_found');
  });
  test(`${transport}: a wrong token is 401`, async () => {
    const r = await refusals(transport, `project=${p.project}&token=wrong`);
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'invalid_token');
  });
  test(`${transport}: an expired token is 401`, async () => {
    const expired = await issueToken(server, p.project, Date.now() - 1000);
    const r = await refusals(transport, `project=${p.project}&token=${expired}`);
    assert.equal(r.status, 401);
    assert.equal(r.body.code, 'token_expired');
  });
  test(`${transport}: missing parameters or a bad mode are 400`, async () => {
    assert.equal((await refusals(transport, `project=${p.project}`)).status, 400);
    const badMode = await refusals(transport, `project=${p.project}&token=${p.token}&mode=medium`);
    assert.equal(badMode.status, 400);
    assert.equal(badMode.body.code, 'bad_request');
  });
}

test('ws: a client offering subprotocols that include wsd gets wsd', async () => {
  const ws = new WebSocket(`${server.wsUrl}/ws?project=${p.project}&token=${p.token}`, ['json', 'wsd']);
  const first = await new Promise((resolve, reject) => {
    ws.on('message', (d) => resolve(JSON.parse(d.toString())));
    ws.on('error', reject);
  });
  assert.equal(ws.protocol, 'wsd');
  assert.equal(assertValid('server/connected', first).type, 'connected');
  ws.close();
});

test('ws: a plain GET on /ws is told to upgrade (426)', async () => {
  const res = await fetch(`${server.url}/ws?project=${p.project}&token=${p.token}`);
  assert.equal(res.status, 426);
  assert.equal(assertValid('http/error_response', await res.json()).code, 'upgrade_required');
});

// A browser sees only 1006 when its upgrade is refused; the plain GET is where a page reads
// why (docs/protocol.md, "Why a WebSocket did not open, for a page").
test('ws: a plain GET on /ws answers the refusal the upgrade got, with CORS headers for the page', async () => {
  const expired = await issueToken(server, p.project, Date.now() - 1000);
  const cases = [`project=nope&token=${p.token}`, `project=${p.project}&token=wrong`,
    `project=${p.project}&token=${expired}`, `project=${p.project}`];
  for (const query of cases) {
    const upgrade = await wsRefusal(query);
    const res = await fetch(`${server.url}/ws?${query}`, { headers: { origin: 'http://page.example' } });
    assert.equal(res.status, upgrade.status, query);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://page.example');
    const body = assertValid('http/error_response', await res.json());
    assert.equal(body.code, upgrade.body.code, query);
    assert.equal(body.msg, upgrade.body.msg, query);
  }
});

test('ws: plain GETs on /ws open nothing and count toward no connection limit', async () => {
  const capped = await freshProject(server);
  await updateProject(server, capped.project, { maxConnections: 1 });
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${server.url}/ws?project=${capped.project}&token=${capped.token}`);
    assert.equal(res.status, 426);
  }
  const ws = new WebSocket(`${server.wsUrl}/ws?project=${capped.project}&token=${capped.token}`);
  const first = await new Promise((resolve, reject) => {
    ws.on('message', (d) => resolve(JSON.parse(d.toString())));
    ws.on('unexpected-response', (req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.on('error', reject);
  });
  assert.equal(first.type, 'connected');
  ws.close();
});
