// The client's own logic against a scripted stand-in for wsd (test/support/fake_wsd.ts):
// queue and overflow policies, restoring a session, calls in flight on a drop, heartbeats,
// timeouts, refusals. The same behaviours run against the real server in test/integration.
import { afterEach, describe, expect, test } from 'vitest';
import { WsdClient } from '../../src/client.js';
import { WsdError } from '../../src/errors.js';
import type { ClientOptions, ClientState } from '../../src/types.js';
import { FakeWsd } from '../support/fake_wsd.js';

const clients: WsdClient[] = [];
let server: FakeWsd;

function client(options: Partial<ClientOptions> = {}): WsdClient {
  server ??= new FakeWsd();
  const c = new WsdClient({
    url: 'http://wsd.test',
    project: 'p',
    token: 't',
    transports: ['ws'],
    WebSocket: server.WebSocket,
    reconnect: { minDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
  clients.push(c);
  return c;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  expect(server.errors, 'every message sent matches schemas/client').toEqual([]);
  server = new FakeWsd();
});

const types = (msgs: { type: string }[]) => msgs.map((m) => m.type);

describe('connecting', () => {
  test('connect() resolves once connected and bound to options.uid, going idle → connecting → connected', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'alice' });
    const states: ClientState[] = [c.state];
    c.on('state', (s) => states.push(s.to));
    const info = await c.connect();
    expect(info).toEqual({ connId: 'c1', transport: 'ws' });
    expect(c.uid).toBe('alice');
    expect(types(server.last.sent)).toEqual(['bind']);
    expect(states).toEqual(['idle', 'connecting', 'connected']);
  });

  test('the URL carries project, token and mode', async () => {
    server = new FakeWsd();
    await client({ mode: 'long' }).connect();
    expect(server.last.url).toBe('ws://wsd.test/ws?project=p&token=t&mode=long');
  });

  test('a refused handshake that retrying cannot fix closes the client with its code', async () => {
    server = new FakeWsd();
    server.admit = () => ({ status: 401, body: { status: 'error', code: 'invalid_token', msg: 'no' } });
    const c = client();
    const err = (await c.connect().catch((e: unknown) => e)) as WsdError;
    expect(err).toBeInstanceOf(WsdError);
    expect(err.code).toBe('invalid_token');
    expect(err.status).toBe(401);
    expect(c.state).toBe('closed');
    expect(server.sockets).toHaveLength(1);  // no retry
  });

  test('a uid the server refuses to bind (invalid_message) closes the client instead of retrying', async () => {
    server = new FakeWsd();
    server.answers.set('bind', (_m, s) => s.deliver({ type: 'error', code: 'invalid_message', msg: 'uid: too long' }));
    const c = client({ uid: 'x' });
    await expect(c.connect()).rejects.toMatchObject({ code: 'invalid_message', request: { type: 'bind' } });
    expect(c.state).toBe('closed');
    expect(server.sockets).toHaveLength(1);
  });

  test('after maxAttempts failed attempts the client gives up', async () => {
    server = new FakeWsd();
    server.admit = () => 'fail';
    const c = client({ reconnect: { minDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } });
    const attempts: number[] = [];
    c.on('reconnecting', (r) => attempts.push(r.attempt));
    const err = (await c.connect().catch((e: unknown) => e)) as WsdError;
    expect(err.code).toBe('transport_failed');
    expect(server.sockets).toHaveLength(3);
    expect(attempts).toEqual([2, 3]);
    expect(c.state).toBe('closed');
  });

  test('calls made before connect() start the connection and go out once bound, in order', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    const results = Promise.all([c.list(), c.online('a'), c.send('a', 1)]);
    const [list, online, sent] = await results;
    expect(list).toEqual(['a']);
    expect(online).toBe(true);
    expect(sent).toEqual({ to: 'a', offline: false });
    expect(types(server.last.sent)).toEqual(['bind', 'list', 'online', 'send']);
  });
});

describe('the outbound queue', () => {
  test("'reject-new': a call made while the queue is full is refused; the queued ones go out later", async () => {
    server = new FakeWsd();
    let allow = false;
    server.admit = () => (allow ? 'open' : 'fail');
    const c = client({ queue: { max: 2 }, uid: 'a' });
    c.connect().catch(() => undefined);
    const first = c.send('x', 1);
    const second = c.send('x', 2);
    const third = c.send('x', 3);
    await expect(third).rejects.toMatchObject({ code: 'queue_full' });
    expect(c.queued).toBe(2);
    allow = true;
    await expect(first).resolves.toMatchObject({ to: 'x' });
    await expect(second).resolves.toMatchObject({ to: 'x' });
    expect(server.last.sent.filter((m) => m.type === 'send').map((m) => m.msg)).toEqual([1, 2]);
  });

  test("'drop-oldest': the oldest queued call is dropped to make room", async () => {
    server = new FakeWsd();
    let allow = false;
    server.admit = () => (allow ? 'open' : 'fail');
    const c = client({ queue: { max: 2, overflow: 'drop-oldest' }, uid: 'a' });
    c.connect().catch(() => undefined);
    const first = c.send('x', 1);
    const second = c.send('x', 2);
    const third = c.send('x', 3);
    await expect(first).rejects.toMatchObject({ code: 'queue_full' });
    allow = true;
    await Promise.all([second, third]);
    expect(server.last.sent.filter((m) => m.type === 'send').map((m) => m.msg)).toEqual([2, 3]);
  });

  test('close() rejects queued and waiting calls with client_closed', async () => {
    server = new FakeWsd();
    server.admit = () => 'fail';
    const c = client();
    c.connect().catch(() => undefined);
    const queued = c.list();
    await c.close();
    await expect(queued).rejects.toMatchObject({ code: 'client_closed' });
    await expect(c.list()).rejects.toMatchObject({ code: 'client_closed' });
    expect(c.state).toBe('closed');
  });
});

describe('after a drop', () => {
  test('the client reconnects, binds again, re-joins its rooms, then sends what was queued', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    await c.connect();
    await c.joinRoom('r1');
    await c.createRoom('r2');
    const disconnected = c.once('disconnect');
    server.last.serverClose(1001, 'going away');
    const [info] = await disconnected;
    expect(info).toMatchObject({ code: 1001, willReconnect: true, transport: 'ws' });
    const sent = c.send('a', 'after');
    await sent;
    expect(server.sockets).toHaveLength(2);
    expect(server.last.sent.map((m) => [m.type, m.uid ?? m.roomId ?? m.msg])).toEqual([
      ['bind', 'a'],
      ['room_join', 'r1'],
      ['room_join', 'r2'],
      ['send', 'after'],
    ]);
    expect([...c.rooms]).toEqual(['r1', 'r2']);
  });

  test('queries in flight are sent again; messages in flight reject with connection_lost', async () => {
    server = new FakeWsd();
    server.silent.add('list').add('send');
    const c = client({ uid: 'a' });
    await c.connect();
    const list = c.list();
    const send = c.send('b', 1);
    await server.until(() => server.last.sent.some((m) => m.type === 'send'), 'send');
    server.silent.clear();
    server.last.serverClose(1006, '');
    await expect(send).rejects.toMatchObject({ code: 'connection_lost', request: { type: 'send', to: 'b' } });
    await expect(list).resolves.toEqual(['a']);
    expect(types(server.last.sent)).toEqual(['bind', 'list']);
  });

  test('with resendInFlight, messages in flight are sent again too', async () => {
    server = new FakeWsd();
    server.silent.add('send');
    const c = client({ uid: 'a', resendInFlight: true });
    await c.connect();
    const send = c.send('b', 1);
    await server.until(() => server.received.some((m) => m.type === 'send'), 'send');
    server.silent.clear();
    server.last.serverClose(1006, '');
    await expect(send).resolves.toMatchObject({ to: 'b', offline: true });
    expect(types(server.last.sent)).toEqual(['bind', 'send']);
  });

  test('a close for a revoked token ends the client instead of reconnecting', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    await c.connect();
    const closed = c.once('state', (s) => s.to === 'closed');
    server.last.serverClose(1008, 'token_revoked');
    const [change] = await closed;
    expect(change.error?.code).toBe('token_revoked');
    expect(server.sockets).toHaveLength(1);
    await expect(c.list()).rejects.toMatchObject({ code: 'client_closed' });
  });

  test('with reconnect: false, a drop closes the client', async () => {
    server = new FakeWsd();
    const c = client({ reconnect: false });
    await c.connect();
    const closed = c.once('state', (s) => s.to === 'closed');
    server.last.serverClose(1001, 'going away');
    await closed;
    expect(server.sockets).toHaveLength(1);
  });
});

describe('answers', () => {
  test('a call unanswered within requestTimeoutMs rejects with timeout; its late answer goes nowhere', async () => {
    server = new FakeWsd();
    const c = client({ requestTimeoutMs: 30 });
    await c.connect();
    server.silent.add('online');
    const late = server.last;
    const first = c.online('x');
    await expect(first).rejects.toMatchObject({ code: 'timeout' });
    const second = c.online('x');
    // In the server's order: the first one's answer (late), then the second one's.
    late.deliver({ type: 'online_result', uid: 'x', online: true });
    late.deliver({ type: 'online_result', uid: 'x', online: false });
    await expect(second).resolves.toBe(false);
  });

  test('server errors reject the call they answer, with the code and the request', async () => {
    server = new FakeWsd();
    const c = client();
    await c.connect();
    const err = (await c.send('b', 1).catch((e: unknown) => e)) as WsdError;
    expect(err).toMatchObject({ code: 'not_bound', request: { type: 'send', to: 'b', msg: 1 } });
  });

  test('every server message is an event of its type, with the request it answers', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    const seen: string[] = [];
    c.on('message', (m) => seen.push(m.type));
    const answered = c.once('online_result');
    await c.connect();
    await c.online('a');
    const [msg, ctx] = await answered;
    expect(msg).toEqual({ type: 'online_result', uid: 'a', online: true });
    expect(ctx.request).toEqual({ type: 'online', uid: 'a' });
    expect(seen).toEqual(['connected', 'bind_success', 'online_result']);
  });

  test("a signal resolves once sent even when its error overtakes the send (regression: a POST's 200 after the error)", async () => {
    server = new FakeWsd();
    // The fake answers inside send(), before the transport's send() resolves.
    server.answers.set('webrtc_offer', (m, s) => s.deliver({ type: 'error', code: 'target_not_in_room', msg: `${String(m.to)} is not in the room` }));
    const c = client({ uid: 'a' });
    await c.connect();
    const failed = c.once('error');
    await expect(c.sendOffer('r', 'ghost', { type: 'offer', sdp: 'x' })).resolves.toBeUndefined();
    const [error, context] = await failed;
    expect(error.code).toBe('target_not_in_room');
    expect(context.request).toMatchObject({ type: 'webrtc_offer', to: 'ghost' });
    expect(await c.list()).toEqual(['a']);  // answers still line up afterwards
  });

  test('a server ping is answered with pong', async () => {
    server = new FakeWsd();
    const c = client({ mode: 'long' });
    await c.connect();
    const pinged = c.once('ping');
    server.last.deliver({ type: 'ping' });
    await pinged;
    await server.until(() => server.last.sent.some((m) => m.type === 'pong'), 'pong');
  });

  test('broadcast resolves with its own copy', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    await c.connect();
    await expect(c.broadcast({ hi: 1 })).resolves.toMatchObject({ timestamp: expect.any(Number) });
  });
});

describe('dead links', () => {
  test('a link that goes quiet and leaves a ping unanswered is dropped and replaced', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a', heartbeat: { intervalMs: 20, timeoutMs: 20 } });
    await c.connect();
    server.silent.add('ping');  // the link carries nothing any more
    const [info] = await c.once('disconnect');
    expect(info.reason).toBe('dead_link');
    server.silent.clear();
    await c.once('session');
    expect(server.sockets).toHaveLength(2);
    expect(server.sockets[0]!.readyState).toBe(3);
  });

  test('a quiet link that answers its ping stays', async () => {
    server = new FakeWsd();
    const c = client({ heartbeat: { intervalMs: 10, timeoutMs: 50 } });
    await c.connect();
    await server.until(() => server.last.sent.filter((m) => m.type === 'ping').length >= 3, 'three pings');
    expect(server.sockets).toHaveLength(1);
    expect(c.state).toBe('connected');
  });
});

describe('options', () => {
  test('bad options fail at once, saying which', () => {
    expect(() => new WsdClient({ url: 'http://h', project: '', token: 't' })).toThrow(/project/);
    expect(() => new WsdClient({ url: 'http://h', project: 'p', token: 't', transports: [] })).toThrow(/transports/);
    expect(() => new WsdClient({ url: 'http://h', project: 'p', token: 't', transports: ['carrier-pigeon' as never] })).toThrow(/unknown transport/);
    expect(() => new WsdClient({ url: 'gopher://h', project: 'p', token: 't' })).toThrow(/url/);
  });
});

describe('filters, receipts and signed bind', () => {
  const stored = (id: string, msg: string) => ({ type: 'direct', from: 'x', to: 'a', msg, id, timestamp: 1, offline: true });

  test('a filter is set again, before the bind, on a new session; a signature goes with every bind', async () => {
    server = new FakeWsd();
    server.answers.set('unsub', (m, s) => s.deliver({ type: 'unsub_success', events: [...(m.events as string[])].sort() }));
    const c = client();
    await c.connect();
    expect(await c.unsub(['online', 'offline'])).toEqual(['offline', 'online']);
    const sig = 'ab'.repeat(32);
    await c.bind('a', { exp: 1767225600, sig });
    server.last.serverClose(1001, 'going away');
    await c.once('session');
    expect(server.last.sent).toEqual([
      { type: 'unsub', events: ['offline', 'online'] },
      { type: 'bind', uid: 'a', exp: 1767225600, sig },
    ]);
  });

  test("auto mode acknowledges stored messages in one ack after the app's listeners ran; repeats are dropped", async () => {
    server = new FakeWsd();
    server.answers.set('bind', (m, s) => {
      s.uid = m.uid as string;
      s.deliver({ type: 'bind_success', uid: s.uid });
      s.deliver(stored('id1', 'one'));
      s.deliver(stored('id2', 'two'));
    });
    server.answers.set('ack', (m, s) => s.deliver({ type: 'ack_success', ids: m.ids as string[] }));
    const c = client({ uid: 'a' });
    const seen: unknown[] = [];
    c.on('direct', (m) => seen.push(m.msg));
    await c.connect();
    await server.until(() => server.received.some((m) => m.type === 'ack'), 'ack');
    expect(server.received.filter((m) => m.type === 'ack')).toEqual([{ type: 'ack', ids: ['id1', 'id2'] }]);
    server.last.serverClose(1001, 'going away');  // the new session's bind hands both out again
    await c.once('session');
    await server.until(() => server.received.filter((m) => m.type === 'ack').length === 2, 'second ack');
    expect(seen).toEqual(['one', 'two']);
  });

  test('manual mode sends no ack of its own; dedupeWindow 0 drops nothing', async () => {
    server = new FakeWsd();
    server.answers.set('bind', (m, s) => {
      s.uid = m.uid as string;
      s.deliver({ type: 'bind_success', uid: s.uid });
      s.deliver(stored('id1', 'one'));
      s.deliver(stored('id1', 'one'));
    });
    const c = client({ uid: 'a', ackMode: 'manual', dedupeWindow: 0 });
    const seen: unknown[] = [];
    c.on('direct', (m) => seen.push(m.id));
    await c.connect();
    expect(await c.list()).toEqual(['a']);  // a later answer: every direct has arrived
    expect(seen).toEqual(['id1', 'id1']);
    expect(server.received.some((m) => m.type === 'ack')).toBe(false);
  });
});

describe('rooms that remember', () => {
  const roomMessage = (offset: number, epoch = 'E') =>
    ({ type: 'room_message', roomId: 'r', from: 'b', msg: { n: offset }, offset, epoch, id: `m${offset}`, timestamp: 1 });

  test('a re-join after a drop names the last position seen; a replayed message already seen is dropped', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    const shown: number[] = [];
    c.on('room_message', (m) => shown.push(m.offset));
    const info = await c.joinRoom('r');
    expect(info).toMatchObject({ roomId: 'r', offset: 0, epoch: '' });
    const live = c.once('room_message');
    server.last.deliver(roomMessage(1));
    server.last.deliver(roomMessage(2));
    await live;
    expect(c.roomPosition('r')).toEqual({ offset: 2, epoch: 'E' });

    // The server replays from the position sent, and one message already seen with it.
    server.answers.set('room_join', (msg, s) => {
      s.deliver({ type: 'room_joined', roomId: 'r', members: ['a'], offset: 3, epoch: 'E', recovered: true });
      s.deliver(roomMessage(2));
      s.deliver(roomMessage(3));
    });
    const back = c.once('session');
    server.last.serverClose(1001, 'going away');
    await back;
    expect(server.last.sent.find((m) => m.type === 'room_join')).toEqual({ type: 'room_join', roomId: 'r', since: { offset: 2, epoch: 'E' } });
    expect(shown).toEqual([1, 2, 3]);
    expect(c.roomPosition('r')).toEqual({ offset: 3, epoch: 'E' });
  });

  test('a re-join that cannot recover emits room_recovery_failed and goes on from the room position', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    await c.joinRoom('r');
    server.last.deliver(roomMessage(5, 'old'));
    expect(c.roomPosition('r')).toEqual({ offset: 5, epoch: 'old' });
    server.answers.set('room_join', (_msg, s) =>
      s.deliver({ type: 'room_joined', roomId: 'r', members: ['a'], offset: 2, epoch: 'new', recovered: false, reason: 'epoch_changed' }),
    );
    const failed = c.once('room_recovery_failed');
    server.last.serverClose(1001, 'going away');
    expect((await failed)[0]).toEqual({ roomId: 'r', reason: 'epoch_changed' });
    expect(c.roomPosition('r')).toEqual({ offset: 2, epoch: 'new' });
  });

  test('sendToRoom resolves with the place of the message; without echo that place counts as seen', async () => {
    server = new FakeWsd();
    server.answers.set('room_send', (msg, s) => s.deliver({ type: 'room_send_success', roomId: msg.roomId as string, offset: 7, epoch: 'E', id: 'x7' }));
    const c = client({ uid: 'a' });
    await c.joinRoom('r');
    expect(await c.sendToRoom('r', 'hi')).toEqual({ offset: 7, epoch: 'E', id: 'x7' });
    expect(server.last.sent.at(-1)).toEqual({ type: 'room_send', roomId: 'r', msg: 'hi' });
    expect(c.roomPosition('r')).toEqual({ offset: 7, epoch: 'E' });
    await c.sendToRoom('r', 'again', { echo: true });
    expect(server.last.sent.at(-1)).toEqual({ type: 'room_send', roomId: 'r', msg: 'again', echo: true });
  });

  test('roomHistory sends only the options given and resolves with the page', async () => {
    server = new FakeWsd();
    server.answers.set('room_history', (msg, s) =>
      s.deliver({ type: 'room_history', roomId: msg.roomId as string, epoch: 'E', offset: 9, messages: [roomMessage(8)], hasMore: true }),
    );
    const c = client({ uid: 'a' });
    await c.joinRoom('r');
    const page = await c.roomHistory('r', { before: 9, limit: 1 });
    expect(server.last.sent.at(-1)).toEqual({ type: 'room_history', roomId: 'r', before: 9, limit: 1 });
    expect(page).toEqual({ messages: [roomMessage(8)], hasMore: true, epoch: 'E', offset: 9 });
  });

  test('leaving a room forgets its position; a join with since sends it', async () => {
    server = new FakeWsd();
    const c = client({ uid: 'a' });
    await c.joinRoom('r');
    await c.leaveRoom('r');
    expect(c.roomPosition('r')).toBeUndefined();
    const info = await c.joinRoom('r', { since: { offset: 0, epoch: '' } });
    expect(server.last.sent.at(-1)).toEqual({ type: 'room_join', roomId: 'r', since: { offset: 0, epoch: '' } });
    expect(info.recovered).toBe(true);
    expect(c.roomPosition('r')).toEqual({ offset: 0, epoch: '' });
  });
});
