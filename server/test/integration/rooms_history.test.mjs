// Room messages, history and recovery (docs/protocol.md, "Room messages, history and
// recovery"): room_send delivery, a rejoin with `since` over every transport, across a
// restart and a SIGKILL, retention by size and by time, history pages, non-members and
// the server API. Real clients on a real wsd; every message is schema-checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject, updateProject } from './lib/admin.mjs';
import { TRANSPORTS, bound } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

async function join(client, roomId, since) {
  await client.send(since === undefined ? { type: 'room_join', roomId } : { type: 'room_join', roomId, since });
  return client.next('room_joined');
}

async function roomSend(client, roomId, msg) {
  await client.send({ type: 'room_send', roomId, msg });
  return client.next((m) => m.type === 'room_send_success' && m.roomId === roomId);
}

// The next `count` room_message of `client`, which must be exactly `offsets` in order.
async function expectRoomMessages(client, offsets, timeoutMs = 5000) {
  const got = [];
  for (let i = 0; i < offsets.length; ++i) got.push(await client.next('room_message', timeoutMs));
  assert.deepEqual(got.map((m) => m.offset), offsets);
  return got;
}

const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const transport of TRANSPORTS) {
  test(`${transport}: a member that drops while messages flow and rejoins with its last offset gets exactly the missed ones, then live ones`, async () => {
    const p = await freshProject(server);
    const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
    await join(sender, 'r');
    let reader = await bound(server, { ...p, transport }, 'reader');
    await join(reader, 'r');
    for (let i = 1; i <= 3; ++i) await roomSend(sender, 'r', { i });
    const seen = await expectRoomMessages(reader, [1, 2, 3]);
    const epoch = seen[0].epoch;
    assert.equal(epoch, seen[2].epoch);

    // The reader drops while the sender goes on: what it saw last is where it resumes.
    const flowing = (async () => {
      for (let i = 4; i <= 9; ++i) await roomSend(sender, 'r', { i });
    })();
    const fourth = await reader.next('room_message');
    assert.equal(fourth.offset, 4);
    reader.close();
    await flowing;

    reader = await bound(server, { ...p, transport }, 'reader');
    const joined = await join(reader, 'r', { offset: 4, epoch });
    assert.equal(joined.recovered, true, JSON.stringify(joined));
    assert.equal(joined.offset, 9);
    assert.equal(joined.epoch, epoch);
    const missed = await expectRoomMessages(reader, range(5, 9));
    assert.deepEqual(missed.map((m) => m.msg.i), range(5, 9));
    assert.ok(missed.every((m) => m.from === 'sender' && m.roomId === 'r' && m.epoch === epoch));
    for (let i = 10; i <= 11; ++i) await roomSend(sender, 'r', { i });
    await expectRoomMessages(reader, [10, 11]);
    await reader.expectNone('room_message');
    reader.close();
    sender.close();
  });
}

test('room_send reaches the sender\'s other sessions, not the sending one unless echo is asked', async () => {
  const p = await freshProject(server);
  const a1 = await bound(server, { ...p, transport: 'ws' }, 'alice');
  const a2 = await bound(server, { ...p, transport: 'sse' }, 'alice');
  const b = await bound(server, { ...p, transport: 'poll' }, 'bob');
  for (const c of [a1, a2, b]) await join(c, 'chat');
  const success = await roomSend(a1, 'chat', 'hi');
  assert.equal(success.offset, 1);
  assert.equal(success.epoch, success.id, 'the epoch is the id of the room\'s first message');
  for (const c of [a2, b]) {
    const m = await c.next('room_message');
    assert.deepEqual({ ...m, timestamp: 0 }, {
      type: 'room_message', roomId: 'chat', from: 'alice', msg: 'hi', offset: 1, epoch: success.epoch, id: success.id, timestamp: 0,
    });
  }
  await a1.send({ type: 'room_send', roomId: 'chat', msg: { n: 2 }, echo: true });
  assert.deepEqual((await a1.next('room_message')).msg, { n: 2 });
  assert.equal((await a1.next('room_send_success')).offset, 2);
  await a1.expectNone('room_message');
  for (const c of [a1, a2, b]) c.close();
});

test('a non-member\'s room_send and room_history are refused with not_in_room and deliver nothing', async () => {
  const p = await freshProject(server);
  const member = await bound(server, { ...p, transport: 'ws' }, 'member');
  const outsider = await bound(server, { ...p, transport: 'ws' }, 'outsider');
  await join(member, 'r');
  await outsider.send({ type: 'room_send', roomId: 'r', msg: 'sneaky' });
  assert.equal((await outsider.next('error')).code, 'not_in_room');
  await outsider.send({ type: 'room_history', roomId: 'r' });
  assert.equal((await outsider.next('error')).code, 'not_in_room');
  await member.expectNone('room_message');
  // Nothing was numbered: the member's first message is offset 1.
  assert.equal((await roomSend(member, 'r', 'first')).offset, 1);
  member.close();
  outsider.close();
});

test('bad room messages are refused with invalid_message and change nothing', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  await join(a, 'r');
  for (const bad of [
    { type: 'room_send', roomId: 'r' },
    { type: 'room_send', roomId: '', msg: 1 },
    { type: 'room_history', roomId: 'r', limit: 0 },
    { type: 'room_history', roomId: 'r', limit: 1001 },
    { type: 'room_history', roomId: 'r', before: 3, since: { offset: 1, epoch: 'e' } },
    { type: 'room_join', roomId: 'r', since: { offset: -1, epoch: '' } },
  ]) {
    await a.send(bad);
    assert.equal((await a.next('error')).code, 'invalid_message', JSON.stringify(bad));
  }
  const history = await (async () => {
    await a.send({ type: 'room_history', roomId: 'r' });
    return a.next('room_history');
  })();
  assert.deepEqual(history, { type: 'room_history', roomId: 'r', epoch: '', offset: 0, messages: [], hasMore: false });
  a.close();
});

async function leaveAfterThree(p) {
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const reader = await bound(server, { ...p, transport: 'ws' }, 'reader');
  await join(sender, 'r');
  await join(reader, 'r');
  for (let i = 1; i <= 3; ++i) await roomSend(sender, 'r', { i });
  const seen = await expectRoomMessages(reader, [1, 2, 3]);
  await reader.send({ type: 'room_leave', roomId: 'r' });
  await reader.next('room_left');
  for (let i = 4; i <= 6; ++i) await roomSend(sender, 'r', { i });
  sender.close();
  reader.close();
  return seen[2].epoch;
}

async function rejoinAfterThree(p, epoch) {
  const reader = await bound(server, { ...p, transport: 'ws' }, 'reader');
  const joined = await join(reader, 'r', { offset: 3, epoch });
  assert.equal(joined.recovered, true, JSON.stringify(joined));
  assert.equal(joined.epoch, epoch);
  assert.equal(joined.offset, 6);
  const missed = await expectRoomMessages(reader, [4, 5, 6]);
  assert.deepEqual(missed.map((m) => m.msg.i), [4, 5, 6]);
  await reader.expectNone('room_message');
  // The stream goes on from where it was: no offset repeats after a rebuild.
  assert.equal((await roomSend(reader, 'r', { i: 7 })).offset, 7);
  reader.close();
}

test('wsd restarted between leave and rejoin: recovered, same epoch, exactly the missed ones', async () => {
  const p = await freshProject(server);
  const epoch = await leaveAfterThree(p);
  await server.restart();
  await rejoinAfterThree(p, epoch);
});

test('wsd SIGKILLed between leave and rejoin: recovered, same epoch, exactly the missed ones', async () => {
  const p = await freshProject(server);
  const epoch = await leaveAfterThree(p);
  await server.kill9();
  // One process, or each gateway of a two-gateway deployment, started again on its data.
  await (server.start ? server.start() : Promise.all(server.gateways.map((g) => g.start())));
  await rejoinAfterThree(p, epoch);
});

test('room_history with roomHistorySize 5: 8 behind is history_trimmed with only the retained 5', async () => {
  const p = await freshProject(server);
  const settings = await updateProject(server, p.project, { roomHistorySize: 5 });
  assert.equal(settings.settings.roomHistorySize, 5);
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  await join(sender, 'r');
  let epoch;
  for (let i = 1; i <= 10; ++i) epoch = (await roomSend(sender, 'r', { i })).epoch;
  const reader = await bound(server, { ...p, transport: 'ws' }, 'reader');
  const joined = await join(reader, 'r', { offset: 2, epoch });
  assert.equal(joined.recovered, false);
  assert.equal(joined.reason, 'history_trimmed');
  await expectRoomMessages(reader, [6, 7, 8, 9, 10]);
  await reader.expectNone('room_message');
  sender.close();
  reader.close();
});

test('a wrong epoch is epoch_changed and an offset from the future unknown_offset: nothing is replayed', async () => {
  const p = await freshProject(server);
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  await join(sender, 'r');
  let epoch;
  for (let i = 1; i <= 3; ++i) epoch = (await roomSend(sender, 'r', { i })).epoch;
  const reader = await bound(server, { ...p, transport: 'ws' }, 'reader');
  const wrong = await join(reader, 'r', { offset: 1, epoch: `${epoch}x` });
  assert.deepEqual([wrong.recovered, wrong.reason, wrong.offset, wrong.epoch], [false, 'epoch_changed', 3, epoch]);
  const future = await join(reader, 'r', { offset: 4, epoch });
  assert.deepEqual([future.recovered, future.reason], [false, 'unknown_offset']);
  await reader.expectNone('room_message');
  await reader.send({ type: 'room_history', roomId: 'r', since: { offset: 1, epoch: 'other' } });
  assert.equal((await reader.next('error')).code, 'epoch_changed');
  sender.close();
  reader.close();
});

test('messages older than roomHistoryTtl are no longer recovered: history_trimmed, never a silent gap', async () => {
  const p = await freshProject(server);
  await updateProject(server, p.project, { roomHistoryTtl: 1 });
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  await join(sender, 'r');
  const { epoch } = await roomSend(sender, 'r', { i: 1 });
  await roomSend(sender, 'r', { i: 2 });
  // The behaviour under test is time itself: the TTL must pass.
  await new Promise((r) => setTimeout(r, 1100));
  await roomSend(sender, 'r', { i: 3 });
  const reader = await bound(server, { ...p, transport: 'ws' }, 'reader');
  const joined = await join(reader, 'r', { offset: 0, epoch });
  assert.equal(joined.recovered, false);
  assert.equal(joined.reason, 'history_trimmed');
  await expectRoomMessages(reader, [3]);
  await reader.expectNone('room_message');
  sender.close();
  reader.close();
});

test('room_history pages over 25 messages with limit 10: newest, since and before, with hasMore', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  await join(a, 'r');
  let epoch;
  for (let i = 1; i <= 25; ++i) epoch = (await roomSend(a, 'r', { i })).epoch;
  const page = async (fields) => {
    await a.send({ type: 'room_history', roomId: 'r', limit: 10, ...fields });
    const reply = await a.next('room_history');
    assert.equal(reply.epoch, epoch);
    assert.equal(reply.offset, 25);
    assert.ok(reply.messages.every((m) => m.type === 'room_message' && m.msg.i === m.offset && m.epoch === epoch));
    return [reply.messages.map((m) => m.offset), reply.hasMore];
  };
  assert.deepEqual(await page({}), [range(16, 25), true]);
  assert.deepEqual(await page({ before: 16 }), [range(6, 15), true]);
  assert.deepEqual(await page({ before: 6 }), [range(1, 5), false]);
  assert.deepEqual(await page({ since: { offset: 0, epoch } }), [range(1, 10), true]);
  assert.deepEqual(await page({ since: { offset: 10, epoch } }), [range(11, 20), true]);
  assert.deepEqual(await page({ since: { offset: 20, epoch } }), [range(21, 25), false]);
  a.close();
});

test('POST /api/rooms/{roomId}/send reaches every member and answers offset, epoch and id', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  const b = await bound(server, { ...p, transport: 'sse' }, 'b');
  await join(a, 'news');
  await join(b, 'news');
  const first = await roomSend(a, 'news', 'from a');
  await b.next('room_message');
  const post = (body, credential = server.adminToken) =>
    fetch(`${server.url}/api/rooms/news/send?project=${p.project}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
      body: JSON.stringify(body),
    });
  const res = await post({ msg: { notice: true }, from: 'ops' });
  const answer = await res.json();
  assert.equal(res.status, 200, JSON.stringify(answer));
  assertValid('http/api_room_send_response', answer);
  assert.deepEqual({ ...answer, id: '' }, { status: 'success', offset: 2, epoch: first.epoch, id: '' });
  for (const c of [a, b]) {
    const m = await c.next('room_message');
    assert.deepEqual([m.from, m.msg, m.offset, m.id], ['ops', { notice: true }, 2, answer.id]);
  }
  const bad = await post({ from: 'ops' });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).code, 'bad_request');
  const unauthorized = await post({ msg: 1 }, 'wrong');
  assert.equal(unauthorized.status, 401);
  await a.expectNone('room_message');
  a.close();
  b.close();
});
