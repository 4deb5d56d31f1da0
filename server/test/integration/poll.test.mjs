// Long polling specifics: held GETs, the poll timeout, and the session timeout.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverPool } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound, connect } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';

const pool = serverPool();
after(pool.disposeAll);
const server = pool.start;

async function openPoll(s, p) {
  const res = await fetch(`${s.url}/poll?project=${p.project}&token=${p.token}`);
  const body = assertValid('http/poll_response', await res.json());
  assert.equal(body[0].type, 'connected');
  return body[0];
}

// The header that proves a request comes from the session's client.
const proof = (secret, init = {}) => ({ ...init, headers: { ...init.headers, 'wsd-session-secret': secret } });

test('a held GET answers as soon as a message arrives', async () => {
  const s = await server();
  const p = await freshProject(s);
  const { connId, secret } = await openPoll(s, p);
  const url = `${s.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`;
  const sender = await bound(s, { ...p, transport: 'ws' }, 'sender');
  assert.equal(assertValid('http/poll_response', await (await fetch(url, proof(secret))).json())[0].type, 'online');
  const started = Date.now();
  const held = fetch(url, proof(secret)).then((r) => r.json());  // nothing pending: held
  await sender.send({ type: 'broadcast', msg: 'wake up' });
  const messages = assertValid('http/poll_response', await held);
  assert.deepEqual(messages.map((m) => m.msg), ['wake up']);
  assert.ok(Date.now() - started < 5000, 'answered long before the 25 s poll timeout');
  sender.close();
});

test('an idle GET answers [] after the poll timeout', async () => {
  const s = await server(['--poll-timeout', '0.5']);
  const p = await freshProject(s);
  const { connId, secret } = await openPoll(s, p);
  const res = await fetch(`${s.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`, proof(secret));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), []);
});

test('a session nobody polls ends like a dropped socket, and its next GET is 404', async () => {
  const s = await server(['--poll-session-timeout', '0.5']);
  const p = await freshProject(s);
  const watcher = await connect(s, { ...p, transport: 'ws' });
  const { connId, secret } = await openPoll(s, p);
  const bind = await fetch(`${s.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`, proof(secret, {
    method: 'POST',
    body: JSON.stringify({ type: 'bind', uid: 'idle' }),
  }));
  assert.equal(bind.status, 200);
  assert.equal((await watcher.next('online')).uid, 'idle');
  assert.equal((await watcher.next('offline', 5000)).uid, 'idle');
  const late = await fetch(`${s.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`, proof(secret));
  assert.equal(late.status, 404);
  assert.equal((await late.json()).code, 'unknown_conn');
  watcher.close();
});

test('a newer GET answers the older held one with []', async () => {
  const s = await server();
  const p = await freshProject(s);
  const { connId, secret } = await openPoll(s, p);
  const url = `${s.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`;
  const older = fetch(url, proof(secret)).then((r) => r.json());
  await new Promise((r) => setTimeout(r, 100));
  const newer = fetch(url, proof(secret)).then((r) => r.json());
  assert.deepEqual(await older, []);
  await fetch(url, proof(secret, { method: 'POST', body: JSON.stringify({ type: 'list' }) }));
  assert.equal((await newer)[0].type, 'list');
});
