// A session belongs to the client that opened it. Its connId is public (presence and
// admin events, webhooks, SSE ids, URLs in proxy logs), so every request that reads or acts
// on an SSE or polling session must also carry the session's secret, which the server
// gives only to that client: in its `connected` message and the wsd_conn cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound, connect } from './lib/clients.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server.dispose());

const sessionUrl = (transport, p, connId) => `${server.url}/${transport}?project=${p.project}&token=${p.token}&connId=${connId}`;

test('the secret reaches only its own client: not the connId, not other clients, not the SSE ids', async () => {
  const p = await freshProject(server);
  const watcher = await bound(server, { ...p, transport: 'ws' }, 'watcher');
  const victim = await connect(server, { ...p, transport: 'sse' });
  assert.match(victim.secret, /^[0-9a-f]{32}$/);
  assert.notEqual(victim.secret, victim.connId);
  await victim.send({ type: 'bind', uid: 'victim' });
  const online = await watcher.next('online');
  assert.ok(!JSON.stringify(online).includes(victim.secret));
  assert.ok(!victim.raw.url.includes(victim.secret));
  watcher.close();
  victim.close();
});

for (const transport of ['sse', 'poll']) {
  test(`${transport}: a POST naming someone else's connId without its secret is refused and acts on nothing`, async () => {
    const p = await freshProject(server);
    const victim = await bound(server, { ...p, transport }, 'victim');
    const attacker = await bound(server, { ...p, transport: 'ws' }, 'attacker');
    for (const url of [sessionUrl(transport, p, victim.connId), `${server.url}/${transport}?connId=${victim.connId}`]) {
      const res = await fetch(url, { method: 'POST', body: JSON.stringify({ type: 'send', to: 'attacker', msg: 'forged' }) });
      assert.equal(res.status, 403);
      assert.equal((await res.json()).code, 'session_secret_required');
    }
    const wrong = await fetch(sessionUrl(transport, p, victim.connId), {
      method: 'POST',
      headers: { 'wsd-session-secret': 'a'.repeat(32) },
      body: JSON.stringify({ type: 'send', to: 'attacker', msg: 'forged' }),
    });
    assert.equal(wrong.status, 403);
    // Nothing was sent as the victim: the attacker's next direct is the victim's real one.
    await victim.send({ type: 'send', to: 'attacker', msg: 'genuine' });
    assert.equal((await attacker.next('direct')).msg, 'genuine');
    victim.close();
    attacker.close();
  });

  test(`${transport}: a query naming the project and connId must name the session's token too`, async () => {
    const p = await freshProject(server);
    const other = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    const headers = { 'wsd-session-secret': c.secret };
    const body = JSON.stringify({ type: 'list' });
    const noToken = await fetch(`${server.url}/${transport}?project=${p.project}&connId=${c.connId}`, { method: 'POST', headers, body });
    assert.equal(noToken.status, 404);
    const otherToken = await fetch(`${server.url}/${transport}?project=${p.project}&token=${other.token}&connId=${c.connId}`, {
      method: 'POST', headers, body,
    });
    assert.equal(otherToken.status, 404);
    assert.equal((await c.send({ type: 'list' })).status, 200);
    c.close();
  });
}

test('poll: a GET naming someone else\'s connId without its secret gets 403 and leaves their messages queued', async () => {
  const p = await freshProject(server);
  const victim = await bound(server, { ...p, transport: 'poll' }, 'victim');
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  for (const url of [sessionUrl('poll', p, victim.connId), `${server.url}/poll?connId=${victim.connId}`]) {
    const res = await fetch(url);
    assert.equal(res.status, 403);
    assert.equal((await res.json()).code, 'session_secret_required');
  }
  await sender.send({ type: 'send', to: 'victim', msg: 'for the victim only' });
  assert.equal((await victim.next('direct')).msg, 'for the victim only');
  victim.close();
  sender.close();
});

// Reads an SSE response's events as they come.
function eventReader(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    async next(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data) return { id: block.split('\n').find((l) => l.startsWith('id: '))?.slice(4), message: JSON.parse(data.slice(6)) };
          continue;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error('no event in time');
        let timer;
        const { value, done } = await Promise.race([
          reader.read(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no event in time')), left))),
        ]).finally(() => clearTimeout(timer));
        if (done) return null;  // the server ended the stream
        buffer += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

async function openSse(p, headers = {}) {
  const res = await fetch(`${server.url}/sse?project=${p.project}&token=${p.token}`, { headers: { accept: 'text/event-stream', ...headers } });
  assert.equal(res.status, 200);
  return { res, events: eventReader(res) };
}

test('sse: Last-Event-ID of a live stream without its secret opens a new session; the victim keeps its stream', async () => {
  const p = await freshProject(server);
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const victim = await bound(server, { ...p, transport: 'sse' }, 'victim');
  const thief = await openSse(p, { 'last-event-id': `${victim.connId}:0` });
  const connected = (await thief.events.next()).message;
  assert.equal(connected.type, 'connected');
  assert.notEqual(connected.connId, victim.connId, 'a session of its own, not the victim\'s');
  await sender.send({ type: 'send', to: 'victim', msg: 'still mine' });
  assert.equal((await victim.next('direct')).msg, 'still mine');
  thief.events.cancel();
  victim.close();
  sender.close();
});

test('sse: a resume with the secret while the old stream is open ends the old stream, and the new one gets what follows', async () => {
  const p = await freshProject(server);
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const first = await openSse(p);
  const connected = (await first.events.next()).message;
  const post = (body) =>
    fetch(`${server.url}/sse?connId=${connected.connId}`, {
      method: 'POST', headers: { 'wsd-session-secret': connected.secret }, body: JSON.stringify(body),
    });
  assert.equal((await post({ type: 'bind', uid: 'reader' })).status, 200);
  const bindSuccess = await first.events.next();
  assert.equal(bindSuccess.message.type, 'bind_success');
  const cookie = first.res.headers.get('set-cookie').split(';')[0];
  const second = await openSse(p, { 'last-event-id': bindSuccess.id, cookie });
  // The old stream ends (the server closes it: no half-closed socket left behind).
  for (let e = await first.events.next(); e !== null; e = await first.events.next()) {
    assert.notEqual(e.message.type, 'direct');
  }
  await sender.send({ type: 'send', to: 'reader', msg: 'after the resume' });
  let e;
  do e = await second.events.next(); while (e.message.type !== 'direct');
  assert.equal(e.message.msg, 'after the resume');
  assert.ok(e.id.startsWith(`${connected.connId}:`), 'the same session');
  second.events.cancel();
  sender.close();
});

test('sse: the cookie is Secure when the request came over TLS at a proxy', async () => {
  const p = await freshProject(server);
  const stream = await openSse(p, { 'x-forwarded-proto': 'https' });
  assert.match(stream.res.headers.get('set-cookie'), /; Secure/);
  stream.events.cancel();
  const plain = await openSse(p);
  assert.doesNotMatch(plain.res.headers.get('set-cookie'), /Secure/);
  plain.events.cancel();
});
