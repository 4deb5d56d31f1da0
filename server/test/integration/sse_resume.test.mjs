// SSE specifics: resuming a session with Last-Event-ID, and the cookie that ties a
// query-less POST /sse (as in the seed's example) to its stream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';
import { assertServerMessage } from './lib/schemas.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

// A raw SSE reader over fetch, so the test controls Last-Event-ID and sees every header.
async function openStream(p, headers = {}, target = server) {
  const controller = new AbortController();
  const res = await fetch(`${target.url}/sse?project=${p.project}&token=${p.token}`, { headers, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events = [];
  async function nextEvent() {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data === undefined) continue;  // retry: and keep-alive comments
        const event = { id, message: assertServerMessage(JSON.parse(data)) };
        events.push(event);
        return event;
      }
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no event within 5 s; had ${JSON.stringify(events)}`)), 5000);
      });
      const { value, done } = await Promise.race([reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (done) throw new Error('stream ended');
      buffer += decoder.decode(value, { stream: true });
    }
  }
  return { res, nextEvent, close: () => controller.abort(), cookie: res.headers.get('set-cookie') };
}

test('a stream that comes back with Last-Event-ID gets what it missed, none twice', async () => {
  // The session lives on the gateway that opened it: the stream comes back to that one
  // (with several gateways, a stream resumed elsewhere starts a new session).
  const home = server.gateways?.[0] ?? server;
  const p = await freshProject(server);
  const first = await openStream(p, {}, home);
  const connected = await first.nextEvent();
  assert.equal(connected.message.type, 'connected');
  const { connId, secret } = connected.message;
  assert.equal(connected.id, `${connId}:1`);
  const post = (body) =>
    fetch(`${server.url}/sse?project=${p.project}&token=${p.token}&connId=${connId}`, {
      method: 'POST', headers: { 'wsd-session-secret': secret }, body: JSON.stringify(body),
    });
  assert.equal((await post({ type: 'bind', uid: 'reader' })).status, 200);
  const bindSuccess = await first.nextEvent();
  assert.equal(bindSuccess.message.type, 'bind_success');
  first.close();

  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  for (const msg of ['a', 'b', 'c']) {
    await sender.send({ type: 'send', to: 'reader', msg });
    assert.equal((await sender.next('send_success')).offline, undefined, 'the session is still there: live');
  }
  const second = await openStream(p, { 'last-event-id': bindSuccess.id, 'wsd-session-secret': secret }, home);
  const resumed = [];
  while (resumed.filter((e) => e.message.type === 'direct').length < 3) resumed.push(await second.nextEvent());
  // Everything after bind_success, in order, once: the sender's `online`, then a, b, c.
  const seqs = resumed.map((e) => Number(e.id.split(':')[1]));
  assert.deepEqual(seqs, seqs.map((_, i) => 3 + i));
  assert.ok(resumed.every((e) => e.id.startsWith(`${connId}:`)));
  assert.deepEqual(resumed.filter((e) => e.message.type === 'direct').map((e) => e.message.msg), ['a', 'b', 'c']);
  await sender.send({ type: 'send', to: 'reader', msg: 'live again' });
  assert.equal((await second.nextEvent()).message.msg, 'live again');
  second.close();
  sender.close();
});

test('a POST /sse with no query is tied to its stream by the wsd_conn cookie', async () => {
  const p = await freshProject(server);
  const stream = await openStream(p);
  const connected = await stream.nextEvent();
  // The cookie holds the session's secret, never its public connId.
  assert.match(stream.cookie, new RegExp(`wsd_conn=${connected.message.secret};`));
  assert.ok(!stream.cookie.includes(connected.message.connId));
  const cookie = stream.cookie.split(';')[0];
  const res = await fetch(`${server.url}/sse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ type: 'bind', uid: 'cookie-user' }),
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
  assert.equal((await stream.nextEvent()).message.uid, 'cookie-user');
  stream.close();
});
