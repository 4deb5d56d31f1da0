// A client that stops reading while messages keep coming, then hangs up, must cost the
// server nothing but that connection: every other client goes on being served. The
// hang-up (a FIN) comes while the server holds megabytes of output the client never
// read, so the socket has input (the end of stream) but cannot be written: the case in
// which a server could retry that one socket forever.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';

let server;
before(async () => {
  // Output budgets far above what these readers fall behind by: here the point is what
  // the server does with megabytes held, not that it ends such readers (budgets.test.mjs).
  server = await startServer(['--session-output-budget', '0']);
});
after(() => server.dispose());

const big = 'x'.repeat(60000);

// Sends `count` 60 KB messages to `uid`, each acknowledged before the next: once the
// last is acknowledged the server has tried to write them all.
async function flood(sender, uid, count) {
  for (let i = 0; i < count; ++i) {
    await sender.send({ type: 'send', to: uid, msg: { i, big } });
    const ack = await sender.next('send_success');
    assert.notEqual(ack.offline, true, `message ${i} was stored, not delivered`);
  }
}

// A sender and a WebSocket reader `slow` that stopped reading and is 18 MB behind (more
// than the kernel's buffers hold).
async function readerFallenBehind(p) {
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const slow = await bound(server, { ...p, transport: 'ws' }, 'slow');
  slow.raw._socket.pause();
  assert.equal((await sender.next('online')).uid, 'slow');
  await flood(sender, 'slow', 300);
  return { sender, slow };
}

// The server still answers: a ping on an open connection, and a new connection.
async function assertServing(p, sender) {
  await sender.send({ type: 'ping' });
  await sender.next('pong', 5000);
  const fresh = await bound(server, { ...p, transport: 'ws' }, 'fresh');
  await fresh.send({ type: 'send', to: 'sender', msg: 'still here' });
  assert.equal((await sender.next('direct', 5000)).msg, 'still here');
  fresh.close();
}

test('ws: a reader that hangs up with megabytes unread leaves the server serving everyone else', async () => {
  const p = await freshProject(server);
  const { sender, slow } = await readerFallenBehind(p);
  slow.raw._socket.end();  // FIN, still not reading: the server sees the hang-up but cannot write
  await assertServing(p, sender);
  slow.raw._socket.destroy();
  sender.close();
});

test('sse: a stream that hangs up with megabytes unread leaves the server serving everyone else', async () => {
  const p = await freshProject(server);
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const { hostname, port } = new URL(server.url);
  const socket = tcpConnect(Number(port), hostname);
  socket.write(`GET /sse?project=${p.project}&token=${p.token} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
  const { connId, secret } = await new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk;
      const m = /"connId":"([^"]+)","secret":"([^"]+)"/.exec(text);
      if (m) resolve({ connId: m[1], secret: m[2] });
    });
  });
  socket.pause();
  const bind = await fetch(`${server.url}/sse?project=${p.project}&token=${p.token}&connId=${connId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'wsd-session-secret': secret },
    body: JSON.stringify({ type: 'bind', uid: 'slow' }),
  });
  assert.equal(bind.status, 200);
  assert.equal((await sender.next('online')).uid, 'slow');
  await flood(sender, 'slow', 300);
  socket.end();  // FIN, still not reading
  await assertServing(p, sender);
  socket.destroy();
  sender.close();
});

test('ws: a reader that falls megabytes behind and then catches up is heard again', async () => {
  const p = await freshProject(server);
  const { sender, slow } = await readerFallenBehind(p);
  slow.raw._socket.resume();
  for (let i = 0; i < 300; ++i) assert.equal((await slow.next('direct', 20000)).msg.i, i);
  await slow.send({ type: 'send', to: 'sender', msg: 'caught up' });
  assert.equal((await sender.next('direct')).msg, 'caught up');
  slow.close();
  sender.close();
});

// Its input is read while its output waits: what it sends is acted on at once, and what
// that produces for it queues behind what it has not read (within its output budget).
test('ws: a reader megabytes behind is still heard before it catches up', async () => {
  const p = await freshProject(server);
  const { sender, slow } = await readerFallenBehind(p);
  await slow.send({ type: 'send', to: 'sender', msg: 'still here' });
  assert.equal((await sender.next('direct')).msg, 'still here');
  slow.raw._socket.resume();
  for (let i = 0; i < 300; ++i) assert.equal((await slow.next('direct', 20000)).msg.i, i);
  assert.equal((await slow.next('send_success', 20000)).to, 'sender');
  slow.close();
  sender.close();
});
