// Client event filters (sub, unsub, lsunsub) and delivery receipts (ack, and the project
// setting that makes offline delivery at-least-once), over every transport.
//
// Filtered notices are checked against a later marker: a direct message sent after the
// notice would have been, which arrives after it (delivery is in log order), so once the
// marker is in, a notice that did not come before it never comes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverPool } from './lib/server.mjs';
import { freshProject, updateProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

const pool = serverPool();
after(pool.disposeAll);
const server = pool.start;

let markers = 0;
// `from` (bound) sends a direct message to `to` (bound); resolves when `to` has it.
async function marker(from, to) {
  const text = `marker-${++markers}`;
  await from.send({ type: 'send', to: to.uid, msg: text });
  await to.next((m) => m.type === 'direct' && m.msg === text);
}

const notices = (client, types) => client.inbox.messages.filter((m) => types.includes(m.type));

for (const transport of TRANSPORTS) {
  test(`${transport}: unsub online/offline stops presence but not direct messages; sub restores it`, async () => {
    const s = await server();
    const p = await freshProject(s);
    const watcher = await bound(s, { ...p, transport, name: 'watcher' }, 'watcher');
    await watcher.send({ type: 'unsub', events: ['online', 'offline'] });
    assert.deepEqual(await watcher.next('unsub_success'), { type: 'unsub_success', events: ['offline', 'online'] });

    const friend = await bound(s, { ...p, transport: 'ws', name: 'friend' }, 'friend');
    const passer = await bound(s, { ...p, transport: 'ws', name: 'passer' }, 'passer');
    passer.close();
    await passer.closed;
    await marker(friend, watcher);  // direct messages still arrive
    assert.deepEqual(notices(watcher, ['online', 'offline']), []);

    await watcher.send({ type: 'lsunsub' });
    assert.deepEqual(await watcher.next('lsunsub'), { type: 'lsunsub', events: ['offline', 'online'] });

    await watcher.send({ type: 'sub', events: ['online'] });
    assert.deepEqual(await watcher.next('sub_success'), { type: 'sub_success', events: ['offline'] });
    const again = await bound(s, { ...p, transport: 'ws' }, 'again');
    assert.equal((await watcher.next('online')).uid, 'again');
    again.close();
    await again.closed;
    await marker(friend, watcher);
    assert.deepEqual(notices(watcher, ['offline']), []);

    await watcher.send({ type: 'sub', events: ['offline'] });
    assert.deepEqual((await watcher.next('sub_success')).events, []);
    friend.close();
    assert.equal((await watcher.next('offline')).uid, 'friend');
    watcher.close();
  });
}

test('a filter set before bind holds after it, and only for that connection', async () => {
  const s = await server();
  const p = await freshProject(s);
  const quiet = await connect(s, { ...p, transport: 'ws', name: 'quiet' });
  await quiet.send({ type: 'unsub', events: ['online'] });
  await quiet.next('unsub_success');
  await quiet.send({ type: 'bind', uid: 'quiet' });
  await quiet.next('bind_success');
  quiet.uid = 'quiet';
  const loud = await bound(s, { ...p, transport: 'ws', name: 'loud' }, 'loud');
  const newcomer = await bound(s, { ...p, transport: 'ws' }, 'newcomer');
  assert.equal((await loud.next('online')).uid, 'newcomer');
  await marker(newcomer, quiet);
  assert.deepEqual(notices(quiet, ['online']), []);
  for (const c of [quiet, loud, newcomer]) c.close();
});

for (const transport of ['ws', 'sse']) {
  test(`${transport}: unsub broadcast stops broadcasts, the sender's own included`, async () => {
    const s = await server();
    const p = await freshProject(s);
    const a = await bound(s, { ...p, transport, name: 'a' }, 'alice');
    const b = await bound(s, { ...p, transport: 'ws', name: 'b' }, 'bob');
    await a.send({ type: 'unsub', events: ['broadcast'] });
    await a.next('unsub_success');
    await b.send({ type: 'broadcast', msg: 'to all' });
    assert.equal((await b.next('broadcast')).msg, 'to all');
    await a.send({ type: 'broadcast', msg: 'mine' });
    assert.equal((await b.next('broadcast')).msg, 'mine');
    await marker(b, a);
    assert.deepEqual(notices(a, ['broadcast']), []);
    a.close();
    b.close();
  });
}

test('unsub room_member_joined / room_member_left stops those notices only', async () => {
  const s = await server();
  const p = await freshProject(s);
  const host = await bound(s, { ...p, transport: 'ws', name: 'host' }, 'host');
  const guest = await bound(s, { ...p, transport: 'ws', name: 'guest' }, 'guest');
  await host.send({ type: 'unsub', events: ['room_member_joined', 'room_member_left'] });
  assert.deepEqual((await host.next('unsub_success')).events, ['room_member_joined', 'room_member_left']);
  await host.send({ type: 'room_create', roomId: 'r' });
  await host.next('room_created');
  await guest.send({ type: 'room_join', roomId: 'r' });
  assert.deepEqual((await guest.next('room_joined')).members, ['guest', 'host']);
  await guest.send({ type: 'room_leave', roomId: 'r' });
  await guest.next('room_left');
  await marker(guest, host);
  assert.deepEqual(notices(host, ['room_member_joined', 'room_member_left']), []);
  host.close();
  guest.close();
});

test('filters refuse unknown kinds; ack needs bind', async () => {
  const s = await server();
  const p = await freshProject(s);
  const c = await connect(s, { ...p, transport: 'ws' });
  await c.send({ type: 'unsub', events: ['direct'] });
  assert.equal((await c.next('error')).code, 'invalid_message');
  await c.send({ type: 'sub', events: [] });
  assert.equal((await c.next('error')).code, 'invalid_message');
  await c.send({ type: 'ack', ids: ['01JD3M4ZK0V7R2YB8F5WQ6T9XN'] });
  assert.equal((await c.next('error')).code, 'not_bound');
  await c.send({ type: 'lsunsub' });
  assert.deepEqual((await c.next('lsunsub')).events, []);
  c.close();
});

// alice (bound on `a`) stores `texts` for the absent bob; resolves with their ids.
async function storeForBob(a, texts) {
  const ids = [];
  for (const text of texts) {
    await a.send({ type: 'send', to: 'bob', msg: text });
    const ack = await a.next('send_success');
    assert.equal(ack.offline, true);
    ids.push(ack.id);
  }
  return ids;
}

// Binds bob on a new connection and resolves with the stored messages it was handed.
async function bindBob(s, p, transport, count) {
  const bob = await bound(s, { ...p, transport, name: 'bob' }, 'bob');
  const got = [];
  for (let i = 0; i < count; i++) got.push(await bob.next('direct'));
  return { bob, got };
}

for (const transport of TRANSPORTS) {
  test(`${transport}: at-least-once redelivers stored messages on every bind until they are acknowledged`, async () => {
    const s = await server();
    const p = await freshProject(s);
    await updateProject(s, p.project, { offlineDelivery: 'at_least_once' });
    const a = await bound(s, { ...p, transport: 'ws', name: 'alice' }, 'alice');
    const ids = await storeForBob(a, ['one', 'two', 'three']);

    let { bob, got } = await bindBob(s, p, transport, 3);
    assert.deepEqual(got.map((m) => [m.msg, m.id, m.offline]), [['one', ids[0], true], ['two', ids[1], true], ['three', ids[2], true]]);
    bob.close();  // its session may outlive it a while (SSE resume window): no matter

    ({ bob, got } = await bindBob(s, p, transport, 3));  // nothing acknowledged: all again
    assert.deepEqual(got.map((m) => m.id), ids);
    await bob.send({ type: 'ack', ids: [ids[0], ids[2], 'never-stored'] });
    assert.deepEqual(await bob.next('ack_success'), { type: 'ack_success', ids: [ids[0], ids[2]] });
    await bob.send({ type: 'ack', ids: [ids[0]] });  // twice is once
    assert.deepEqual((await bob.next('ack_success')).ids, []);
    bob.close();  // its session may outlive it a while (SSE resume window): no matter

    ({ bob, got } = await bindBob(s, p, transport, 1));
    assert.deepEqual(got.map((m) => m.msg), ['two']);
    await bob.send({ type: 'ack', ids: [ids[1]] });
    assert.deepEqual((await bob.next('ack_success')).ids, [ids[1]]);
    bob.close();  // its session may outlive it a while (SSE resume window): no matter

    const last = await bound(s, { ...p, transport, name: 'bob' }, 'bob');
    last.uid = 'bob';
    await marker(a, last);  // a live message arrives, and nothing stored before it
    assert.deepEqual(notices(last, ['direct']), []);
    for (const c of [a, last]) c.close();
  });
}

test('at-least-once: an unacknowledged message still expires', async () => {
  const s = await server(['--offline-ttl', '1']);
  const p = await freshProject(s);
  await updateProject(s, p.project, { offlineDelivery: 'at_least_once' });
  const a = await bound(s, { ...p, transport: 'ws' }, 'alice');
  await storeForBob(a, ['too late']);
  const { bob } = await bindBob(s, p, 'ws', 1);
  bob.close();
  await new Promise((r) => setTimeout(r, 1500));  // the TTL is wall-clock time itself
  await storeForBob(a, ['fresh']);
  const again = await bindBob(s, p, 'ws', 1);
  assert.deepEqual(again.got.map((m) => m.msg), ['fresh']);
  again.bob.uid = 'bob';
  await marker(a, again.bob);
  assert.deepEqual(notices(again.bob, ['direct']), []);
  a.close();
  again.bob.close();
});

test('by default stored messages are delivered once, and ack finds nothing left to remove', async () => {
  const s = await server();
  const p = await freshProject(s);
  const a = await bound(s, { ...p, transport: 'ws' }, 'alice');
  const ids = await storeForBob(a, ['once']);
  const first = await bindBob(s, p, 'ws', 1);
  assert.equal(first.got[0].id, ids[0]);
  await first.bob.send({ type: 'ack', ids });
  assert.deepEqual((await first.bob.next('ack_success')).ids, []);
  first.bob.close();
  const second = await bound(s, { ...p, transport: 'ws' }, 'bob');
  await marker(a, second);
  assert.deepEqual(notices(second, ['direct']), []);
  a.close();
  second.close();
});
