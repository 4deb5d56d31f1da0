// Rooms and WebRTC signaling: replies, member notifications, relays and their errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound } from './lib/clients.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

const offerSdp = { type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n' };
const answerSdp = { type: 'answer', sdp: 'v=0\r\no=- 7614219264379 2 IN IP4 127.0.0.1\r\n' };
const candidate = { candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.1 52487 typ srflx', sdpMLineIndex: 0, sdpMid: 'audio' };

for (const transport of TRANSPORTS) {
  test(`${transport}: the seed's call flow: both join, A offers, B answers, both exchange ICE`, async () => {
    const p = await freshProject(server);
    const a = await bound(server, { ...p, transport }, 'user_1');
    const b = await bound(server, { ...p, transport }, 'user_2');
    await a.send({ type: 'room_join', roomId: 'room_123' });
    assert.deepEqual((await a.next('room_joined')).members, ['user_1']);
    await b.send({ type: 'room_join', roomId: 'room_123' });
    assert.deepEqual((await b.next('room_joined')).members, ['user_1', 'user_2']);
    assert.equal((await a.next('room_member_joined')).uid, 'user_2');

    await a.send({ type: 'webrtc_offer', roomId: 'room_123', to: 'user_2', sdp: offerSdp });
    const offer = await b.next('webrtc_offer');
    assert.equal(offer.from, 'user_1');
    assert.deepEqual(offer.sdp, offerSdp);
    await b.send({ type: 'webrtc_answer', roomId: 'room_123', to: offer.from, sdp: answerSdp });
    const answer = await a.next('webrtc_answer');
    assert.equal(answer.from, 'user_2');
    assert.deepEqual(answer.sdp, answerSdp);
    await a.send({ type: 'webrtc_ice', roomId: 'room_123', to: 'user_2', candidate });
    await b.send({ type: 'webrtc_ice', roomId: 'room_123', to: 'user_1', candidate: null });
    assert.deepEqual((await b.next('webrtc_ice')).candidate, candidate);
    assert.equal((await a.next('webrtc_ice')).candidate, null);
    a.close();
    b.close();
  });
}

test('room_create creates and joins; leave tells the others; the last one out empties it', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  const b = await bound(server, { ...p, transport: 'ws' }, 'b');
  await a.send({ type: 'room_create', roomId: 'r1' });
  assert.deepEqual(await a.next('room_created'), { type: 'room_created', roomId: 'r1', members: ['a'], offset: 0, epoch: '' });
  await b.send({ type: 'room_join', roomId: 'r1' });
  await b.next('room_joined');
  await a.next('room_member_joined');
  await b.send({ type: 'room_leave', roomId: 'r1' });
  assert.deepEqual(await b.next('room_left'), { type: 'room_left', roomId: 'r1' });
  assert.deepEqual(await a.next('room_member_left'), { type: 'room_member_left', roomId: 'r1', uid: 'b' });
  await b.send({ type: 'room_leave', roomId: 'r1' });
  assert.equal((await b.next('error')).code, 'not_in_room');
  a.close();
  b.close();
});

test('a member that disconnects leaves its rooms', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  const b = await bound(server, { ...p, transport: 'ws' }, 'b');
  await a.send({ type: 'room_join', roomId: 'r' });
  await a.next('room_joined');
  await b.send({ type: 'room_join', roomId: 'r' });
  await b.next('room_joined');
  b.close();
  assert.equal((await a.next('room_member_left')).uid, 'b');
  a.close();
});

test('relaying to a uid outside the room, or from outside it, is an error', async () => {
  const p = await freshProject(server);
  const a = await bound(server, { ...p, transport: 'ws' }, 'a');
  const b = await bound(server, { ...p, transport: 'ws' }, 'b');
  await a.send({ type: 'room_join', roomId: 'r' });
  await a.next('room_joined');
  await a.send({ type: 'webrtc_offer', roomId: 'r', to: 'b', sdp: offerSdp });
  assert.equal((await a.next('error')).code, 'target_not_in_room');
  await b.send({ type: 'webrtc_offer', roomId: 'r', to: 'a', sdp: offerSdp });
  assert.equal((await b.next('error')).code, 'not_in_room');
  await a.expectNone('webrtc_offer', 200);
  await b.expectNone('webrtc_offer', 0);
  await b.send({ type: 'webrtc_ice', roomId: 'r', to: 'a' });
  assert.equal((await b.next('error')).code, 'invalid_message');
  a.close();
  b.close();
});

test('rooms need a bound connection', async () => {
  const p = await freshProject(server);
  const { connect } = await import('./lib/clients.mjs');
  const c = await connect(server, { ...p, transport: 'ws' });
  await c.send({ type: 'room_join', roomId: 'r' });
  assert.equal((await c.next('error')).code, 'not_bound');
  c.close();
});
