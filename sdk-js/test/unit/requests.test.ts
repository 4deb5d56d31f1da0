// Which answer goes to which request (src/requests.ts), case by case, including the orders
// the server can produce: immediate answers overtaking logged ones, silent signals,
// answers arriving after a request timed out.
import { describe, expect, test } from 'vitest';
import { ReplyMatcher, type PendingRequest } from '../../src/requests.js';
import type { ClientMessage, ServerMessage } from '../../src/protocol.js';

type Outcome = { ok?: ServerMessage | undefined; err?: string };

function setup(self = 'me') {
  const m = new ReplyMatcher();
  m.self = self;
  const outcomes = new Map<string, Outcome>();
  const add = (name: string, message: ClientMessage, settled = false): PendingRequest => {
    const r: PendingRequest = {
      message,
      settled,
      resolve: (a) => outcomes.set(name, { ok: a }),
      reject: (e) => outcomes.set(name, { err: (e as { code?: string }).code ?? '' }),
    };
    m.add(r);
    return r;
  };
  const err = (code: string): ServerMessage => ({ type: 'error', code, msg: code });
  return { m, outcomes, add, err };
}

describe('ReplyMatcher', () => {
  test('answers of different kinds go to their own requests, whatever the order', () => {
    const { m, outcomes, add } = setup();
    add('list', { type: 'list' });
    add('online', { type: 'online', uid: 'x' });
    add('send', { type: 'send', to: 'b', msg: 1 });
    m.match({ type: 'online_result', uid: 'x', online: true });
    m.match({ type: 'send_success', to: 'b' });
    m.match({ type: 'list', uids: [] });
    expect(outcomes.get('online')!.ok).toMatchObject({ online: true });
    expect(outcomes.get('send')!.ok).toMatchObject({ to: 'b' });
    expect(outcomes.get('list')!.ok).toMatchObject({ uids: [] });
    expect(m.size).toBe(0);
  });

  test('answers of one kind go in the order sent, told apart by what they name', () => {
    const { m, outcomes, add } = setup();
    add('to-b', { type: 'send', to: 'b', msg: 1 });
    add('to-c', { type: 'send', to: 'c', msg: 1 });
    add('multi', { type: 'multicast', to: ['b', 'c'], msg: 1 });
    add('room-2', { type: 'room_join', roomId: 'r2' });
    add('room-1', { type: 'room_join', roomId: 'r1' });
    m.match({ type: 'send_success', to: ['b'], offline: ['c'] });
    m.match({ type: 'send_success', to: 'c', offline: true });
    m.match({ type: 'room_joined', roomId: 'r1', members: [], offset: 0, epoch: '' });
    expect(outcomes.get('multi')!.ok).toMatchObject({ to: ['b'] });
    expect(outcomes.get('to-c')!.ok).toMatchObject({ offline: true });
    expect(outcomes.get('room-1')).toBeDefined();
    expect(outcomes.has('to-b')).toBe(false);
    expect(outcomes.has('room-2')).toBe(false);
  });

  test("a broadcast is answered by this uid's own copy, not by others'", () => {
    const { m, outcomes, add } = setup('me');
    add('bc', { type: 'broadcast', msg: { n: 1 } });
    expect(m.match({ type: 'broadcast', msg: { n: 1 }, timestamp: 1, from: 'other' }).request).toBeUndefined();
    expect(m.match({ type: 'broadcast', msg: { n: 2 }, timestamp: 1, from: 'me' }).request).toBeUndefined();
    m.match({ type: 'broadcast', msg: { n: 1 }, timestamp: 5, from: 'me' });
    expect(outcomes.get('bc')!.ok).toMatchObject({ timestamp: 5 });
  });

  test('an immediate error goes to the first request that has not passed the first step', () => {
    const { m, outcomes, add, err } = setup();
    add('send', { type: 'send', to: 'b', msg: 1 });      // logged, answered later
    add('ping', { type: 'ping' });
    add('multi', { type: 'multicast', to: ['a'], msg: 1 });
    m.match({ type: 'pong' });                              // send and ping passed step one
    m.match(err('too_many_recipients'));
    expect(outcomes.get('multi')!.err).toBe('too_many_recipients');
    m.match({ type: 'send_success', to: 'b' });
    expect(outcomes.get('send')!.ok).toBeDefined();
  });

  test('not_bound goes to the first request that needs a bind, skipping those that do not', () => {
    const { m, outcomes, add, err } = setup();
    add('list', { type: 'list' });
    add('send', { type: 'send', to: 'b', msg: 1 });
    m.match(err('not_bound'));
    expect(outcomes.get('send')!.err).toBe('not_bound');
    expect(outcomes.has('list')).toBe(false);
  });

  test('a logged error goes to the first request that can fail that way', () => {
    const { m, outcomes, add, err } = setup();
    add('join', { type: 'room_join', roomId: 'r' });
    add('leave', { type: 'room_leave', roomId: 'q' });
    add('send', { type: 'send', to: 'full', msg: 1 });
    m.match({ type: 'room_joined', roomId: 'r', members: [], offset: 0, epoch: '' });
    m.match(err('not_in_room'));
    m.match(err('inbox_full'));
    expect(outcomes.get('leave')!.err).toBe('not_in_room');
    expect(outcomes.get('send')!.err).toBe('inbox_full');
  });

  test('a signal takes its error, and is known to have succeeded once a later answer comes', () => {
    const { m, add, err } = setup();
    add('offer', { type: 'webrtc_offer', roomId: 'r', to: 'x', sdp: {} }, true);
    add('ice', { type: 'webrtc_ice', roomId: 'r', to: 'x', candidate: null }, true);
    const failed = m.match(err('target_not_in_room'));
    expect(failed.request?.message.type).toBe('webrtc_offer');
    add('list', { type: 'list' });
    m.match({ type: 'list', uids: [] });
    expect(m.size).toBe(0);  // the ice signal left the list: it succeeded
  });

  test('a request that timed out absorbs its late answer instead of a later request taking it', () => {
    const { m, outcomes, add } = setup();
    add('old', { type: 'list' }, true);  // settled: timed out
    add('new', { type: 'list' });
    const first = m.match({ type: 'list', uids: ['stale'] });
    expect(first.request?.settled).toBe(true);
    expect(outcomes.has('new')).toBe(false);
    m.match({ type: 'list', uids: ['fresh'] });
    expect(outcomes.get('new')!.ok).toMatchObject({ uids: ['fresh'] });
  });

  test('a timed-out request whose answer never comes leaves once a later logged answer passes it', () => {
    const { m, outcomes, add } = setup();
    add('lost', { type: 'online', uid: 'x' }, true);
    add('list', { type: 'list' });
    m.match({ type: 'list', uids: [] });
    expect(outcomes.get('list')).toBeDefined();
    expect(m.size).toBe(0);
  });

  test('messages that answer nothing match nothing', () => {
    const { m, add } = setup();
    add('list', { type: 'list' });
    for (const msg of [
      { type: 'direct', from: 'a', to: 'me', msg: 1 },
      { type: 'online', uid: 'a', timestamp: 1 },
      { type: 'room_member_joined', roomId: 'r', uid: 'a' },
      { type: 'ping' },
    ] as ServerMessage[]) {
      expect(m.match(msg).request).toBeUndefined();
    }
    expect(m.size).toBe(1);
  });

  test('drain hands back everything still waiting, in order', () => {
    const { m, add } = setup();
    const a = add('a', { type: 'list' });
    const b = add('b', { type: 'ping' });
    expect(m.drain()).toEqual([a, b]);
    expect(m.size).toBe(0);
  });
});

describe('ReplyMatcher: filters and receipts', () => {
  test('unsub, sub, lsunsub and ack are each answered by their own message, in order', () => {
    const m = new ReplyMatcher();
    const got: string[] = [];
    const req = (message: ClientMessage) => {
      const r: PendingRequest = { message, settled: false, resolve: (a) => got.push(`${message.type}:${a?.type}`), reject: () => got.push(`${message.type}:error`) };
      m.add(r);
    };
    req({ type: 'unsub', events: ['online'] });
    req({ type: 'lsunsub' });
    req({ type: 'ack', ids: ['x'] });
    req({ type: 'sub', events: ['online'] });
    m.match({ type: 'ack_success', ids: [] });
    m.match({ type: 'unsub_success', events: ['online'] });
    m.match({ type: 'lsunsub', events: ['online'] });
    m.match({ type: 'sub_success', events: [] });
    expect(got).toEqual(['ack:ack_success', 'unsub:unsub_success', 'lsunsub:lsunsub', 'sub:sub_success']);
  });
});

describe('ReplyMatcher: room messages and history', () => {
  const roomMessage = (roomId: string, offset: number): ServerMessage =>
    ({ type: 'room_message', roomId, from: 'b', msg: offset, offset, epoch: 'E', id: `m${offset}`, timestamp: 1 });

  test('room_send is answered by room_send_success naming its room; room messages answer nothing', () => {
    const { m, outcomes, add } = setup();
    add('to-r1', { type: 'room_send', roomId: 'r1', msg: 1 });
    add('to-r2', { type: 'room_send', roomId: 'r2', msg: 2 });
    expect(m.match(roomMessage('r2', 1)).request).toBeUndefined();
    m.match({ type: 'room_send_success', roomId: 'r2', offset: 4, epoch: 'E', id: 'x' });
    expect(outcomes.get('to-r2')!.ok).toMatchObject({ offset: 4 });
    expect(outcomes.has('to-r1')).toBe(false);
    m.match({ type: 'room_send_success', roomId: 'r1', offset: 9, epoch: 'E', id: 'y' });
    expect(outcomes.get('to-r1')!.ok).toMatchObject({ offset: 9 });
  });

  test('room_history is answered by the page of its own room', () => {
    const { m, outcomes, add } = setup();
    add('h1', { type: 'room_history', roomId: 'r1' });
    add('h2', { type: 'room_history', roomId: 'r2', before: 5 });
    m.match({ type: 'room_history', roomId: 'r2', epoch: 'E', offset: 9, messages: [], hasMore: false });
    expect(outcomes.get('h2')!.ok).toMatchObject({ roomId: 'r2', offset: 9 });
    expect(outcomes.has('h1')).toBe(false);
  });

  test('not_in_room goes to the first room_send or room_history; epoch_changed only to room_history', () => {
    const { m, outcomes, add, err } = setup();
    add('list', { type: 'list' });
    add('send', { type: 'room_send', roomId: 'r', msg: 1 });
    add('history', { type: 'room_history', roomId: 'r', since: { offset: 3, epoch: 'old' } });
    m.match(err('epoch_changed'));
    expect(outcomes.get('history')).toEqual({ err: 'epoch_changed' });
    expect(outcomes.has('send')).toBe(false);
    m.match(err('not_in_room'));
    expect(outcomes.get('send')).toEqual({ err: 'not_in_room' });
    expect(outcomes.has('list')).toBe(false);
  });

  test('an unbound room_send or room_history takes not_bound', () => {
    const { m, outcomes, add, err } = setup();
    add('list', { type: 'list' });
    add('history', { type: 'room_history', roomId: 'r' });
    m.match(err('not_bound'));
    expect(outcomes.get('history')).toEqual({ err: 'not_bound' });
    expect(outcomes.has('list')).toBe(false);
  });
});
