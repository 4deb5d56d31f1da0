// The server API (docs/server-api.md): an app backend's calls with fetch, received by
// real clients (Node's ws, eventsource, fetch polling). Every answer is checked against
// its schema (schemas/http/api_*_response.json, error_response.json).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { call as adminCall, freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';
import { waitForEvents } from './lib/eventlog.mjs';
import { assertValid } from './lib/schemas.mjs';

const embedded = !process.env.WSD_KAFKA_BROKERS;

let server;
before(async () => (server = await startServer(['--max-multicast', '5'])));
after(async () => server?.dispose());

const RESPONSE_SCHEMA = {
  send: 'http/api_send_response', multicast: 'http/api_multicast_response', broadcast: 'http/api_broadcast_response',
  kick: 'http/api_kick_response', online: 'http/api_online_response', list: 'http/api_list_response',
  room: 'http/api_room_response',
};

// One server API call; `credential` defaults to the admin token (null: no header).
async function api(project, name, { body, query = {}, credential = server.adminToken, raw } = {}) {
  const method = body === undefined && raw === undefined ? 'GET' : 'POST';
  const headers = { 'content-type': 'application/json' };
  if (credential !== null) headers.authorization = `Bearer ${credential}`;
  const q = new URLSearchParams(project === undefined ? query : { project, ...query });
  const res = await fetch(`${server.url}/api/${name}?${q}`, { method, headers, body: raw ?? (body && JSON.stringify(body)) });
  const json = await res.json();
  assertValid(res.status === 200 ? RESPONSE_SCHEMA[name] : 'http/error_response', json);
  return { status: res.status, body: json };
}

// Issues (or rotates) the project's server secret, and returns it once every gateway
// takes it (with several gateways, each learns it when it reads the event).
async function newSecret(project, graceSeconds) {
  const r = await adminCall(server, 'POST', '/project/secret', graceSeconds === undefined ? { key: project } : { key: project, graceSeconds });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assertValid('http/project_secret_response', r.body);
  for (const gateway of server.gateways ?? [server]) {
    const deadline = Date.now() + 5000;
    for (;;) {
      const res = await fetch(`${gateway.url}/api/list?project=${project}`, { headers: { authorization: `Bearer ${r.body.secret}` } });
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`the new secret was not accepted within 5 s: ${res.status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));  // a polling interval, not a wait for something
    }
  }
  return r.body;
}

test('send to an online uid: delivered live, answered offline:false, with the id the recipient sees', async () => {
  const p = await freshProject(server);
  const bob = await bound(server, { ...p, name: 'bob' }, 'bob');
  const r = await api(p.project, 'send', { body: { to: 'bob', msg: { text: '你好', n: 1 } } });
  assert.equal(r.status, 200);
  assert.deepEqual({ ...r.body, id: undefined }, { status: 'success', id: undefined, to: 'bob', offline: false });
  const direct = await bob.next('direct');
  assert.equal(direct.from, '@server');
  assert.equal(direct.to, 'bob');
  assert.deepEqual(direct.msg, { text: '你好', n: 1 });
  assert.equal(direct.id, r.body.id);
  assert.equal(direct.offline, undefined);
  bob.close();
});

test('send to an offline uid: stored, answered offline:true, and delivered on its bind', async () => {
  const p = await freshProject(server);
  const r = await api(p.project, 'send', { body: { to: 'carol', msg: 'later', from: 'billing' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.offline, true);
  const carol = await bound(server, { ...p, name: 'carol' }, 'carol');
  const direct = await carol.next('direct');
  assert.deepEqual([direct.from, direct.to, direct.msg, direct.offline, direct.id], ['billing', 'carol', 'later', true, r.body.id]);
  carol.close();
});

test('multicast: each distinct uid delivered or stored, and the limit of --max-multicast', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, name: 'a' }, 'a');
  const b = await bound(server, { ...p, name: 'b' }, 'b');
  const r = await api(p.project, 'multicast', { body: { to: ['a', 'b', 'ghost', 'a'], msg: 'all' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.delivered.sort(), ['a', 'b']);
  assert.deepEqual(r.body.stored, ['ghost']);
  assert.deepEqual(r.body.failed, []);
  for (const client of [a, b]) {
    const direct = await client.next('direct');
    assert.deepEqual([direct.msg, direct.id, direct.from], ['all', r.body.id, '@server']);
  }
  await a.expectNone('direct', 200);  // listed twice, delivered once
  const tooMany = await api(p.project, 'multicast', { body: { to: ['1', '2', '3', '4', '5', '6'], msg: 'x' } });
  assert.equal(tooMany.status, 400);
  assert.equal(tooMany.body.code, 'too_many_recipients');
  a.close();
  b.close();
});

test('broadcast reaches every connection of the project on every transport, and no other project', async () => {
  const p = await freshProject(server);
  const other = await freshProject(server);
  const clients = await Promise.all(TRANSPORTS.map((transport) => connect(server, { ...p, transport })));
  const stranger = await connect(server, other);
  const r = await api(p.project, 'broadcast', { body: { msg: { news: 1 } } });
  assert.equal(r.status, 200);
  for (const client of clients) {
    const m = await client.next('broadcast');
    assert.deepEqual([m.msg, m.from, m.id], [{ news: 1 }, '@server', r.body.id]);
  }
  await stranger.expectNone('broadcast', 200);
  for (const client of [...clients, stranger]) client.close();
});

test('kick a uid: every connection of it closes with 4001 and the reason; others stay; it goes offline', async () => {
  const p = await freshProject(server);
  const alice1 = await bound(server, { ...p, name: 'alice-1' }, 'alice');
  const alice2 = await bound(server, { ...p, name: 'alice-2' }, 'alice');
  const bob = await bound(server, { ...p, name: 'bob' }, 'bob');
  const r = await api(p.project, 'kick', { body: { uid: 'alice', reason: 'banned' } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.closed.sort(), [alice1.connId, alice2.connId].sort());
  for (const alice of [alice1, alice2]) assert.deepEqual(await alice.closed, { code: 4001, reason: 'banned' });
  const offline = await bob.next('offline');
  assert.equal(offline.uid, 'alice');
  // Applied at the kick's place in the log: at once offline, and messages to it are stored.
  assert.equal((await api(p.project, 'online', { query: { uid: 'alice' } })).body.online, false);
  assert.equal((await api(p.project, 'send', { body: { to: 'alice', msg: 'x' } })).body.offline, true);
  assert.equal((await api(p.project, 'online', { query: { uid: 'bob' } })).body.online, true);
  assert.deepEqual((await api(p.project, 'kick', { body: { uid: 'nobody' } })).body.closed, []);
  bob.close();
});

for (const transport of TRANSPORTS) {
  test(`${transport}: kick one connection: it alone ends, with the default reason`, async () => {
    const p = await freshProject(server);
    const target = await bound(server, { ...p, transport, name: 'target' }, 'dave');
    const sibling = await bound(server, { ...p, transport: 'ws', name: 'sibling' }, 'dave');
    const r = await api(p.project, 'kick', { body: { conn: target.connId } });
    assert.deepEqual(r.body.closed, [target.connId]);
    assert.deepEqual(await target.closed, { code: 4001, reason: 'kicked' });
    assert.equal((await api(p.project, 'online', { query: { uid: 'dave' } })).body.online, true);
    await sibling.expectNone('offline', 100);
    sibling.close();
  });
}

test("kick never reaches another project's connection", async () => {
  const p = await freshProject(server);
  const other = await freshProject(server);
  const stranger = await bound(server, other, 'eve');
  const r = await api(p.project, 'kick', { body: { conn: stranger.connId } });
  assert.deepEqual(r.body.closed, []);
  await stranger.send({ type: 'online', uid: 'eve' });
  assert.equal((await stranger.next('online_result')).online, true);
  stranger.close();
});

test('online, list and room answer from the projections', async () => {
  const p = await freshProject(server);
  const zed = await bound(server, { ...p, name: 'zed' }, 'zed');
  const amy = await bound(server, { ...p, name: 'amy' }, 'amy');
  const idle = await connect(server, p);
  await zed.send({ type: 'room_create', roomId: 'call-1' });
  await zed.next('room_created');
  await amy.send({ type: 'room_join', roomId: 'call-1' });
  await amy.next('room_joined');
  assert.deepEqual((await api(p.project, 'online', { query: { uid: 'zed' } })).body, { status: 'success', uid: 'zed', online: true });
  assert.deepEqual((await api(p.project, 'online', { query: { uid: 'nope' } })).body, { status: 'success', uid: 'nope', online: false });
  assert.deepEqual((await api(p.project, 'list')).body, { status: 'success', uids: ['amy', 'zed'] });
  assert.deepEqual((await api(p.project, 'room', { query: { roomId: 'call-1' } })).body,
    { status: 'success', roomId: 'call-1', members: ['amy', 'zed'] });
  assert.deepEqual((await api(p.project, 'room', { query: { roomId: 'empty' } })).body.members, []);
  for (const c of [zed, amy, idle]) c.close();
});

test('a server secret authenticates for its project only; a wrong or missing one is 401', async () => {
  const p = await freshProject(server);
  const other = await freshProject(server);
  const { secret } = await newSecret(p.project);
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.equal((await api(p.project, 'list', { credential: secret })).status, 200);
  assert.equal((await api(p.project, 'send', { body: { to: 'x', msg: 1 }, credential: secret })).status, 200);
  for (const [project, credential] of [[p.project, 'wrong'], [p.project, null], [other.project, secret], [p.project, p.token]]) {
    const r = await api(project, 'list', { credential });
    assert.equal(r.status, 401, `${project} with ${credential}`);
    assert.equal(r.body.code, 'unauthorized');
  }
});

test('a rotated secret: with no grace the old one is refused at once; with grace, until it ends', async () => {
  const p = await freshProject(server);
  const first = await newSecret(p.project);
  const second = await newSecret(p.project);  // graceSeconds 0
  assert.equal(typeof second.previousValidUntil, 'number');
  assert.equal((await api(p.project, 'list', { credential: first.secret })).status, 401);
  assert.equal((await api(p.project, 'list', { credential: second.secret })).status, 200);

  const third = await newSecret(p.project, 1);
  assert.equal((await api(p.project, 'list', { credential: second.secret })).status, 200, 'within the grace');
  assert.equal((await api(p.project, 'list', { credential: third.secret })).status, 200);
  // The grace ends by the clock: ask until the old secret is refused.
  const deadline = Date.now() + 5000;
  while ((await api(p.project, 'list', { credential: second.secret })).status === 200) {
    assert.ok(Date.now() < deadline, 'the old secret was still accepted 5 s after a 1 s grace');
    assert.ok(Date.now() >= third.previousValidUntil - 1000, 'accepted as expected so far');
    await new Promise((resolve) => setTimeout(resolve, 50));  // a polling interval
  }
  assert.ok(Date.now() >= third.previousValidUntil - 50, 'refused only once the grace ended');
  assert.equal((await api(p.project, 'list', { credential: third.secret })).status, 200);
});

test('bad calls get a clear JSON error and change nothing', async () => {
  const p = await freshProject(server);
  const cases = [
    [undefined, 'list', {}, 400, 'bad_request'],
    ['no_such_project', 'list', {}, 404, 'project_not_found'],
    [p.project, 'send', { raw: '{"to":' }, 400, 'invalid_json'],
    [p.project, 'send', { body: { to: 'x' } }, 400, 'bad_request'],
    [p.project, 'send', { body: { to: '', msg: 1 } }, 400, 'bad_request'],
    [p.project, 'send', { raw: '[1]' }, 400, 'bad_request'],
    [p.project, 'multicast', { body: { to: [], msg: 1 } }, 400, 'bad_request'],
    [p.project, 'kick', { body: {} }, 400, 'bad_request'],
    [p.project, 'kick', { body: { uid: 'a', conn: 'b' } }, 400, 'bad_request'],
    [p.project, 'kick', { body: { uid: 'a', reason: 'x'.repeat(101) } }, 400, 'bad_request'],
    [p.project, 'online', {}, 400, 'bad_request'],
    [p.project, 'room', {}, 400, 'bad_request'],
    [p.project, 'send', { raw: JSON.stringify({ to: 'x', msg: 'y'.repeat(70000) }) }, 413, 'message_too_big'],
  ];
  for (const [project, name, opts, status, code] of cases) {
    const r = await api(project, name, opts);
    assert.deepEqual([r.status, r.body.code], [status, code], `${name} ${JSON.stringify(opts).slice(0, 80)}`);
  }
  const wrongMethod = await fetch(`${server.url}/api/send?project=${p.project}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  assert.equal(wrongMethod.status, 405);
  assert.equal((await wrongMethod.json()).code, 'method_not_allowed');
  const unknown = await fetch(`${server.url}/api/nothing?project=${p.project}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  assert.equal(unknown.status, 404);
  assertValid('http/error_response', await unknown.json());
  // Nothing was stored by the refused sends.
  const x = await bound(server, p, 'x');
  await x.expectNone('direct', 200);
  x.close();
});

test('every call is an event with an empty conn and via "api"', { skip: !embedded && 'reads the embedded log' }, async () => {
  const p = await freshProject(server);
  const conn = await bound(server, p, 'u');
  await api(p.project, 'send', { body: { to: 'u', msg: 1 } });
  await api(p.project, 'multicast', { body: { to: ['u'], msg: 2 } });
  await api(p.project, 'broadcast', { body: { msg: 3 } });
  await api(p.project, 'online', { query: { uid: 'u' } });
  await api(p.project, 'list');
  await api(p.project, 'room', { query: { roomId: 'r' } });
  await api(p.project, 'kick', { body: { uid: 'u' } });
  const expected = ['message.direct', 'message.multicast', 'message.broadcast', 'query.online', 'query.list', 'query.room', 'conn.kick'];
  const events = await waitForEvents(server.dataDir, (all) => {
    const mine = all.filter((e) => e.project === p.project && e.data.via === 'api');
    return mine.length === expected.length && mine;
  }, 'the seven server API events');
  assert.deepEqual(events.map((e) => e.type), expected);
  for (const e of events) {
    assert.equal(e.conn, '');
    assertValid(`events/${e.type}`, e);
  }
  assert.deepEqual(events.at(-1).data, { uid: 'u', code: 4001, reason: 'kicked', via: 'api' });
  await conn.closed;
});
