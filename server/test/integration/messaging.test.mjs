// The seed's messages over every transport, and across transports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

for (const transport of TRANSPORTS) {
  test(`${transport}: bind, send, and the recipient gets a direct with from, to and msg`, async () => {
    const p = await freshProject(server);
    const alice = await bound(server, { ...p, transport, name: 'alice' }, 'alice');
    const bob = await bound(server, { ...p, transport, name: 'bob' }, 'bob');
    await alice.send({ type: 'send', to: 'bob', msg: 'Hello' });
    const direct = await bob.next('direct');
    assert.equal(direct.from, 'alice');
    assert.equal(direct.to, 'bob');
    assert.equal(direct.msg, 'Hello');
    const ack = await alice.next('send_success');
    assert.equal(ack.to, 'bob');
    assert.equal(ack.offline, undefined);
    assert.equal(ack.id, direct.id);
    alice.close();
    bob.close();
  });

  test(`${transport}: msg objects pass through unchanged`, async () => {
    const p = await freshProject(server);
    const a = await bound(server, { ...p, transport }, 'a');
    const b = await bound(server, { ...p, transport }, 'b');
    const msg = { text: '你好', n: 1.5, list: [1, null, { deep: true }], empty: {} };
    await a.send({ type: 'send', to: 'b', msg });
    assert.deepEqual((await b.next('direct')).msg, msg);
    a.close();
    b.close();
  });

  test(`${transport}: multicast reaches each online uid and stores for the offline ones`, async () => {
    const p = await freshProject(server);
    const a = await bound(server, { ...p, transport }, 'a');
    const b = await bound(server, { ...p, transport }, 'b');
    const c = await bound(server, { ...p, transport }, 'c');
    await a.send({ type: 'multicast', to: ['b', 'c', 'ghost', 'b'], msg: 'hi all' });
    assert.equal((await b.next('direct')).msg, 'hi all');
    const toC = await c.next('direct');
    assert.equal(toC.to, 'c');
    const ack = await a.next('send_success');
    assert.deepEqual(ack.to.sort(), ['b', 'c']);
    assert.deepEqual(ack.offline, ['ghost']);
    await b.expectNone('direct', 200);  // listed twice, delivered once
    for (const x of [a, b, c]) x.close();
  });

  test(`${transport}: broadcast reaches every connection of the project, the sender's too, and no other project`, async () => {
    const p = await freshProject(server);
    const other = await freshProject(server);
    const a = await bound(server, { ...p, transport }, 'a');
    const b = await bound(server, { ...p, transport }, 'b');
    const unbound = await connect(server, { ...p, transport });
    const stranger = await bound(server, { ...other, transport }, 'x');
    await a.send({ type: 'broadcast', msg: 'Hi everyone' });
    for (const client of [a, b, unbound]) {
      const m = await client.next('broadcast');
      assert.equal(m.msg, 'Hi everyone');
      assert.equal(typeof m.timestamp, 'number');
    }
    await stranger.expectNone('broadcast', 200);
    for (const x of [a, b, unbound, stranger]) x.close();
  });

  test(`${transport}: acting before bind is an error, queries are not`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    await c.send({ type: 'send', to: 'x', msg: 1 });
    const error = await c.next('error');
    assert.equal(error.code, 'not_bound');
    assert.ok(error.msg.length > 0);
    await c.send({ type: 'list' });
    assert.deepEqual((await c.next('list')).uids, []);
    c.close();
  });
}

test('a WebSocket sender reaches an SSE and a polling recipient, and back', async () => {
  const p = await freshProject(server);
  const ws = await bound(server, { ...p, transport: 'ws' }, 'ws-user');
  const sse = await bound(server, { ...p, transport: 'sse' }, 'sse-user');
  const poll = await bound(server, { ...p, transport: 'poll' }, 'poll-user');
  await ws.send({ type: 'multicast', to: ['sse-user', 'poll-user'], msg: 'across' });
  assert.equal((await sse.next('direct')).msg, 'across');
  assert.equal((await poll.next('direct')).msg, 'across');
  await sse.send({ type: 'send', to: 'ws-user', msg: 'from sse' });
  await poll.send({ type: 'send', to: 'ws-user', msg: 'from poll' });
  assert.equal((await ws.next((m) => m.type === 'direct' && m.from === 'sse-user')).msg, 'from sse');
  assert.equal((await ws.next((m) => m.type === 'direct' && m.from === 'poll-user')).msg, 'from poll');
  for (const x of [ws, sse, poll]) x.close();
});

test('messages from one sender arrive in the order sent', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  const b = await bound(server, { ...p, transport: 'ws' }, 'b');
  for (let i = 0; i < 100; i++) await a.send({ type: 'send', to: 'b', msg: i });
  for (let i = 0; i < 100; i++) assert.equal((await b.next('direct')).msg, i);
  a.close();
  b.close();
});

test('a multicast to more uids than allowed is refused with too_many_recipients', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  await a.send({ type: 'multicast', to: Array.from({ length: 1001 }, (_, i) => `u${i}`), msg: 'x' });
  assert.equal((await a.next('error')).code, 'too_many_recipients');
  a.close();
});

test('ws: with the smallest receive buffer, long and short messages still arrive whole and in order', async () => {
  const small = await startServer(['--ws-receive-buffer', '128']);
  try {
    const p = await freshProject(small);
    const a = await bound(small, { ...p, transport: 'ws' }, 'a');
    const b = await bound(small, { ...p, transport: 'ws' }, 'b');
    const texts = ['short', 'y'.repeat(127), 'z'.repeat(129), '语'.repeat(5000), 'x'.repeat(30000), 'last'];
    for (const msg of texts) await a.send({ type: 'send', to: 'b', msg });
    for (const msg of texts) assert.equal((await b.next('direct')).msg, msg);
    a.close();
    b.close();
  } finally {
    await small.dispose();
  }
});

// A connection takes its receive buffer when a frame brings payload and gives it back
// once the frame is handed on: frames of every shape must still be read whole, whether
// the buffer is held across them or taken anew.
for (const receiveBuffer of ['128', '4096']) {
  test(`ws (receive buffer ${receiveBuffer}): a message in fragments with a ping and an empty frame between them arrives whole, the ping is answered, and later messages too`, async () => {
    const srv = await startServer(['--ws-receive-buffer', receiveBuffer]);
    try {
      const p = await freshProject(srv);
      const a = await bound(srv, { ...p, transport: 'ws' }, 'a');
      const b = await bound(srv, { ...p, transport: 'ws' }, 'b');
      const long = 'm'.repeat(300);
      const json = JSON.stringify({ type: 'send', to: 'b', msg: long });
      const pong = new Promise((resolve) => a.raw.once('pong', (data) => resolve(data.toString())));
      a.raw.send(json.slice(0, 10), { fin: false });
      a.raw.ping('between');
      a.raw.send('', { fin: false });
      a.raw.send(json.slice(10, 200), { fin: false });
      a.raw.send(json.slice(200), { fin: true });
      assert.equal(await pong, 'between');
      assert.equal((await b.next('direct')).msg, long);
      await a.send({ type: 'send', to: 'b', msg: 'after' });
      assert.equal((await b.next('direct')).msg, 'after');
      a.raw.close(4321, 'leaving now');
      assert.equal((await b.next('offline')).uid, 'a');
      b.close();
    } finally {
      await srv.dispose();
    }
  });
}
