// Bad input gets a clear error and changes nothing else: the server stays up and other
// clients of the same project keep working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

let server;
before(async () => (server = await startServer(['--max-message-bytes', '1024', '--rate-limit', '20', '--rate-burst', '20'])));
after(async () => server?.dispose());

async function othersStillWork(p) {
  const a = await bound(server, { ...p, transport: 'ws' }, `a${Math.random()}`);
  const b = await bound(server, { ...p, transport: 'ws' }, `b${Math.random()}`);
  await a.send({ type: 'send', to: b.uid, msg: 'still here' });
  assert.equal((await b.next('direct')).msg, 'still here');
  a.close();
  b.close();
  assert.ok(server.alive());
}

const cases = [
  ['not JSON', '{"type": "send", ', 'invalid_json'],
  ['an unknown type', { type: 'teleport' }, 'unknown_type'],
  ['no type', { uid: 'x' }, 'unknown_type'],
  ['a missing field', { type: 'bind' }, 'invalid_message'],
  ['a mistyped field', { type: 'bind', uid: 42 }, 'invalid_message'],
  ['an empty uid', { type: 'bind', uid: '' }, 'invalid_message'],
  ['a non-array multicast', { type: 'multicast', to: 'b', msg: 1 }, 'invalid_message'],
];

for (const [what, frame, code] of cases) {
  test(`ws: ${what} is answered with error ${code}`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport: 'ws' });
    await c.send(frame);
    const error = await c.next('error');
    assert.equal(error.code, code);
    assert.ok(error.msg.length > 0);
    if (code === 'invalid_message') assert.match(error.msg, /uid|to/);
    await c.send({ type: 'list' });
    await c.next('list');  // the connection is still usable
    c.close();
    await othersStillWork(p);
  });
}

for (const transport of ['sse', 'poll']) {
  test(`${transport}: bad JSON in a POST is 400, protocol errors arrive on the stream`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    const bad = await c.send('{oops');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_json');
    const ok = await c.send({ type: 'teleport' });
    assert.equal(ok.status, 200);
    assert.equal((await c.next('error')).code, 'unknown_type');
    const unproven = await fetch(`${server.url}/${transport}?project=${p.project}&token=${p.token}&connId=nope`, {
      method: 'POST',
      body: '{"type":"list"}',
    });
    assert.equal(unproven.status, 403);
    assert.equal((await unproven.json()).code, 'session_secret_required');
    const unknown = await fetch(`${server.url}/${transport}`, {
      method: 'POST',
      headers: { 'wsd-session-secret': 'f'.repeat(32) },
      body: '{"type":"list"}',
    });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, 'unknown_conn');
    c.close();
  });

  test(`${transport}: an oversized POST is 413`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    const big = await c.send({ type: 'broadcast', msg: 'x'.repeat(4096) });
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 'message_too_big');
    c.close();
    await othersStillWork(p);
  });
}

test('ws: an oversized frame closes with 1009', async () => {
  const p = await freshProject(server);
  const c = await bound(server, { ...p, transport: 'ws' }, 'big');
  await c.send({ type: 'broadcast', msg: 'x'.repeat(4096) });
  assert.equal((await c.closed).code, 1009);
  await othersStillWork(p);
});

test('ws: a binary frame closes with 1003', async () => {
  const p = await freshProject(server);
  const c = await connect(server, { ...p, transport: 'ws' });
  c.raw.send(Buffer.from([1, 2, 3]));
  assert.equal((await c.closed).code, 1003);
});

for (const transport of TRANSPORTS) {
  test(`${transport}: a flood gets rate_limited, then the connection is closed with 1008`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    // Over HTTP the flood goes out at once: a balancer may spread the POSTs over gateways,
    // each with its own limiter, and one at a time they could stay under each gateway's rate.
    const statuses = [];
    if (transport === 'ws') {
      for (let i = 0; i < 60; i++) await c.send({ type: 'list' }).catch(() => null);
    } else {
      const answers = await Promise.all(Array.from({ length: 60 }, () => c.send({ type: 'list' }).catch(() => null)));
      for (const r of answers) if (r) statuses.push(r.status);
    }
    if (transport === 'ws') assert.equal((await c.next('error')).code, 'rate_limited');
    else assert.ok(statuses.includes(429), `a POST was answered 429: ${statuses}`);
    assert.equal((await c.closed).code, 1008);
    await othersStillWork(p);
  });
}

test('ws: a frame on an unknown path is refused and the server stays up', async () => {
  const res = await new Promise((resolve) => {
    const ws = new WebSocket(`${server.wsUrl}/elsewhere`);
    ws.on('unexpected-response', (req, r) => resolve(r.statusCode));
    ws.on('error', () => {});
  });
  assert.equal(res, 404);
  assert.ok(server.alive());
});
