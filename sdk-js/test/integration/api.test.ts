// Every call of the API, over each transport, against a real wsd.
import { describe, expect, test } from 'vitest';
import { WsdError, type WsdClient } from '../../dist/esm/index.js';
import { collect, connected, freshProject, makeClient, TRANSPORTS, useServer } from '../support/harness.js';

// Short session timeouts so that a closed SSE or polling client goes offline soon.
const ctx = useServer(['--max-multicast', '3', '--poll-session-timeout', '2', '--sse-resume-window', '1', '--max-message-bytes', '4096']);

describe.each(TRANSPORTS)('over %s', (transport) => {
  const client = async (auth: { project: string; token: string }, uid?: string): Promise<WsdClient> =>
    connected(ctx.server.url, auth, { transport, ...(uid ? { uid } : {}), sseResumeMs: 800 });

  test('connects over this transport and reports its session', async () => {
    const p = await freshProject(ctx.server);
    const c = makeClient(ctx.server.url, p, { transport });
    const sessions = collect<{ connId: string }>((push) => c.on('session', push));
    const info = await c.connect();
    expect(info.transport).toBe(transport);
    expect(info.connId).toMatch(/^[0-9a-f]+$/);
    expect(c.connId).toBe(info.connId);
    expect(c.state).toBe('connected');
    expect((await sessions.count(1))[0]!.connId).toBe(info.connId);
  });

  test('bind: answered with bind_success, again for the same uid; another uid is already_bound', async () => {
    const p = await freshProject(ctx.server);
    const c = await client(p);
    await expect(c.bind('alice')).resolves.toEqual({ type: 'bind_success', uid: 'alice' });
    expect(c.uid).toBe('alice');
    await expect(c.bind('alice')).resolves.toMatchObject({ uid: 'alice' });
    await expect(c.bind('bob')).rejects.toMatchObject({ code: 'already_bound', request: { type: 'bind', uid: 'bob' } });
  });

  test('calls that need a bind are refused with not_bound before it', async () => {
    const p = await freshProject(ctx.server);
    const c = await client(p);
    const err = await c.send('x', 1).catch((e: WsdError) => e);
    expect(err).toBeInstanceOf(WsdError);
    expect(err).toMatchObject({ code: 'not_bound' });
    await expect(c.joinRoom('r')).rejects.toMatchObject({ code: 'not_bound' });
    await expect(c.list()).resolves.toEqual([]);  // list needs no bind
  });

  test('send: delivered live as direct, with the id the sender got', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const b = await client(p, 'b');
    const got = b.once('direct');
    const result = await a.send('b', { text: 'hi', n: [1, 2.5, null] });
    expect(result).toEqual({ to: 'b', offline: false, id: expect.any(String) });
    const [direct] = await got;
    expect(direct).toMatchObject({ from: 'a', to: 'b', msg: { text: 'hi', n: [1, 2.5, null] }, id: result.id });
    expect(direct.offline).toBeUndefined();
  });

  test('send to an offline uid: stored, then delivered in order on its next bind, marked offline', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const r1 = await a.send('later', 'one');
    const r2 = await a.send('later', 'two');
    expect([r1.offline, r2.offline]).toEqual([true, true]);
    const b = makeClient(ctx.server.url, p, { transport, uid: 'later' });
    const directs = collect<{ msg: unknown; offline?: boolean; id?: string }>((push) => b.on('direct', push));
    await b.connect();
    const got = await directs.count(2);
    expect(got.map((d) => [d.msg, d.offline, d.id])).toEqual([
      ['one', true, r1.id],
      ['two', true, r2.id],
    ]);
  });

  test('multicast: live, stored and duplicate recipients; more than the limit is too_many_recipients', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const b = await client(p, 'b');
    const got = b.once('direct');
    const r = await a.multicast(['b', 'gone', 'b'], 'm');
    expect(r).toEqual({ to: ['b'], offline: ['gone'], failed: [], id: expect.any(String) });
    expect((await got)[0]).toMatchObject({ from: 'a', to: 'b', msg: 'm' });
    await expect(a.multicast(['1', '2', '3', '4'], 'x')).rejects.toMatchObject({ code: 'too_many_recipients' });
  });

  test("broadcast: every connection of the project gets it, the sender's included", async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const b = await client(p, 'b');
    const unbound = await client(p);
    const atB = b.once('broadcast');
    const atUnbound = unbound.once('broadcast');
    const r = await a.broadcast({ all: true });
    expect(r).toEqual({ id: expect.any(String), timestamp: expect.any(Number) });
    for (const [m] of [await atB, await atUnbound]) expect(m).toMatchObject({ msg: { all: true }, from: 'a', id: r.id });
  });

  test('list and online', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'zed');
    await client(p, 'amy');
    expect(await a.list()).toEqual(['amy', 'zed']);
    expect(await a.online('amy')).toBe(true);
    expect(await a.online('nobody')).toBe(false);
  });

  test('presence: online when a uid binds, offline when its last session ends', async () => {
    const p = await freshProject(ctx.server);
    const watcher = await client(p, 'watcher');
    const onlines = collect<{ uid: string }>((push) => watcher.on('online', push));
    const offlines = collect<{ uid: string }>((push) => watcher.on('offline', push));
    const subject = await client(p, 'subject');
    expect((await onlines.count(1))[0]).toMatchObject({ uid: 'subject', timestamp: expect.any(Number) });
    await subject.close();
    expect((await offlines.count(1, 15000))[0]).toMatchObject({ uid: 'subject' });
  });

  test('rooms: create, join, members told, leave; leaving a room one is not in is not_in_room', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const b = await client(p, 'b');
    expect(await a.createRoom('r')).toEqual({ roomId: 'r', members: ['a'], offset: 0, epoch: '' });
    const joinedAtA = a.once('room_member_joined');
    expect(await b.joinRoom('r')).toEqual({ roomId: 'r', members: ['a', 'b'], offset: 0, epoch: '' });
    expect((await joinedAtA)[0]).toMatchObject({ roomId: 'r', uid: 'b' });
    expect([...b.rooms]).toEqual(['r']);
    const leftAtA = a.once('room_member_left');
    await b.leaveRoom('r');
    expect((await leftAtA)[0]).toMatchObject({ roomId: 'r', uid: 'b' });
    expect([...b.rooms]).toEqual([]);
    await expect(b.leaveRoom('r')).rejects.toMatchObject({ code: 'not_in_room' });
  });

  test('signaling: offer, answer and ICE are relayed with `from`, payloads unchanged', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const b = await client(p, 'b');
    await a.createRoom('call');
    await b.joinRoom('call');
    const offer = b.once('webrtc_offer');
    await a.sendOffer('call', 'b', { type: 'offer', sdp: 'v=0 offer' });
    expect((await offer)[0]).toMatchObject({ roomId: 'call', from: 'a', sdp: { type: 'offer', sdp: 'v=0 offer' } });
    const answer = a.once('webrtc_answer');
    await b.sendAnswer('call', 'a', { type: 'answer', sdp: 'v=0 answer' });
    expect((await answer)[0]).toMatchObject({ from: 'b', sdp: { type: 'answer', sdp: 'v=0 answer' } });
    const ice = a.once('webrtc_ice');
    const candidate = { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    await b.sendIce('call', 'a', candidate);
    expect((await ice)[0]).toMatchObject({ from: 'b', candidate });
    const end = a.once('webrtc_ice');
    await b.sendIce('call', 'a', null);
    expect((await end)[0].candidate).toBeNull();
  });

  test('a signal that fails comes back as an error event naming the request', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    await a.createRoom('solo');
    const failed = a.once('error');
    await a.sendOffer('solo', 'ghost', { type: 'offer', sdp: 'x' });
    const [error, context] = await failed;
    expect(error.code).toBe('target_not_in_room');
    expect(context.request).toMatchObject({ type: 'webrtc_offer', roomId: 'solo', to: 'ghost' });
  });

  test('ping: a round trip, in ms', async () => {
    const p = await freshProject(ctx.server);
    const c = await client(p);
    const rtt = await c.ping();
    expect(rtt).toBeGreaterThanOrEqual(0);
    expect(rtt).toBeLessThan(5000);
  });

  test('sendRaw sends any message as is; its answers are events', async () => {
    const p = await freshProject(ctx.server);
    const c = await client(p);
    const answer = c.once('list');
    await c.sendRaw({ type: 'list', extra: 'ignored' });
    expect((await answer)[0].uids).toEqual([]);
  });

  test('a message over the size limit is refused, and the client goes on', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const back = a.once('session');
    const err = (await a.send('b', 'x'.repeat(8192)).catch((e: WsdError) => e)) as WsdError;
    if (transport === 'ws') {
      // The server closes a WebSocket with 1009; the message is lost with its link.
      expect(err.code).toBe('connection_lost');
      await back;
    } else {
      expect(err).toMatchObject({ code: 'message_too_big', status: 413 });
    }
    await expect(a.send('b', 'small')).resolves.toMatchObject({ to: 'b' });
  });

  test('many calls at once are each answered with their own answer', async () => {
    const p = await freshProject(ctx.server);
    const a = await client(p, 'a');
    const b = await client(p, 'b');
    const results = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => a.send(i % 2 ? 'b' : `off${i}`, i)),
      a.online('b'),
      a.list(),
      a.online('nobody'),
      a.joinRoom('r1'),
      a.joinRoom('r2'),
    ]);
    results.slice(0, 20).forEach((r, i) => expect(r).toMatchObject({ to: i % 2 ? 'b' : `off${i}`, offline: i % 2 === 0 }));
    expect(results.slice(20)).toEqual([true, ['a', 'b'], false, { roomId: 'r1', members: ['a'], offset: 0, epoch: '' }, { roomId: 'r2', members: ['a'], offset: 0, epoch: '' }]);
    expect(b.state).toBe('connected');
  });
});

describe('refusals', () => {
  test.each(TRANSPORTS)('a wrong token is refused over %s with invalid_token, and the client closes', async (transport) => {
    const p = await freshProject(ctx.server);
    const c = makeClient(ctx.server.url, { project: p.project, token: 'wrong' }, { transport: transport === 'ws' ? 'ws' : transport, useEventSource: false });
    const err = (await c.connect().catch((e: WsdError) => e)) as WsdError;
    expect(err).toMatchObject({ code: 'invalid_token', status: 401 });
    expect(c.state).toBe('closed');
  });

  test('an unknown project is refused with project_not_found', async () => {
    const c = makeClient(ctx.server.url, { project: 'no_such_project', token: 't' }, { transport: 'poll' });
    await expect(c.connect()).rejects.toMatchObject({ code: 'project_not_found', status: 404 });
  });
});

describe('Node 20 without a global WebSocket', () => {
  test('the ws package is loaded on first use', async () => {
    const p = await freshProject(ctx.server);
    if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'undefined') return;  // Node 22+
    const c = makeClient(ctx.server.url, p, { transport: 'ws', WebSocket: undefined as never });
    await expect(c.connect()).resolves.toMatchObject({ transport: 'ws' });
  });
});
