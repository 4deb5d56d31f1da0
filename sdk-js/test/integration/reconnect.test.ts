// Staying connected, over each transport, against a real wsd: a server restart with calls
// queued meanwhile (nothing lost), a dead link (no FIN, no RST), the server's heartbeat in
// mode=long, and the closes that must end the client (revocation, deletion).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { WsdClient } from '../../dist/esm/index.js';
import { collect, connected, freshProject, startWsd, TRANSPORTS, useServer } from '../support/harness.js';
import { startProxy, type Proxy } from '../support/proxy.js';
import type { Wsd } from '../support/wsd.js';

// The file's own server is for the tests that do not restart it.
const ctx = useServer(['--heartbeat-interval', '1']);

const fast = { reconnect: { minDelayMs: 50, maxDelayMs: 250 }, sseResumeMs: 1000, pollRetries: 1, connectTimeoutMs: 2000 };

describe.each(TRANSPORTS)('over %s', (transport) => {
  describe('a server restart', () => {
    let server: Wsd;
    beforeEach(async () => {
      server = await startWsd();
    });
    afterEach(async () => {
      await server.dispose();
    });

    test('loses nothing queued meanwhile: the client reconnects, binds again, re-joins its rooms, sends the queue in order', async () => {
      const p = await freshProject(server);
      const a = await connected(server.url, p, { transport, uid: 'a', ...fast });
      const b = await connected(server.url, p, { transport, uid: 'b', ...fast });
      await a.createRoom('room');
      await b.joinRoom('room');
      const directs = collect<{ msg: unknown }>((push) => b.on('direct', push));
      const downA = a.once('disconnect');
      const downB = b.once('disconnect');
      await server.stop();
      expect((await downA)[0].willReconnect).toBe(true);
      await downB;

      // While the server is down: calls wait in the queue.
      const sends = Array.from({ length: 10 }, (_, i) => a.send('b', { n: i }));
      const listed = a.list();
      expect(a.queued).toBe(11);
      expect(a.state).toBe('reconnecting');

      const backA = a.once('session');
      const backB = b.once('session');
      await server.start();
      await Promise.all([backA, backB]);
      const results = await Promise.all(sends);
      expect(results.every((r) => r.to === 'b')).toBe(true);
      expect(await listed).toContain('a');

      // Every message reached b once, in order (live or from its inbox after its new bind).
      const got = await directs.count(10);
      expect(got.map((d) => d.msg)).toEqual(Array.from({ length: 10 }, (_, i) => ({ n: i })));
      expect(a.uid).toBe('a');
      expect(await b.list()).toEqual(['a', 'b']);
      // Both are back in the room: a signal from one reaches the other.
      expect([...a.rooms]).toEqual(['room']);
      const offer = b.once('webrtc_offer');
      await a.sendOffer('room', 'b', { type: 'offer', sdp: 'after restart' });
      expect((await offer)[0].sdp).toEqual({ type: 'offer', sdp: 'after restart' });
    });
    test('that is quick (SSE resumes into a new session, polling finds its session gone): the client binds again', async () => {
      const p = await freshProject(server);
      const c = await connected(server.url, p, { transport, uid: 'quick', ...fast, sseResumeMs: 4000, pollRetries: 20 });
      const other = await connected(server.url, p, { transport: 'ws', uid: 'other', ...fast });
      const before = c.connId;
      const back = c.once('session');
      const otherBack = other.once('session');
      const drops = collect<{ reason: string }>((push) => c.on('disconnect', push));
      await server.restart();
      await back;
      expect(c.connId).not.toBe(before);
      if (transport === 'sse') expect(drops.items.map((d) => d.reason)).toEqual(['session_lost']);
      if (transport === 'poll') expect(drops.items.map((d) => d.reason)).toEqual(['unknown_conn']);
      await otherBack;
      const got = c.once('direct');
      await other.send('quick', 'after a quick restart');
      expect((await got)[0].msg).toBe('after a quick restart');
    });
  });

  describe('a dead link', () => {
    let proxy: Proxy;
    beforeEach(async () => {
      proxy = await startProxy(ctx.server.port);
    });
    afterEach(async () => {
      await proxy.close();
    });

    test('that carries nothing any more is found by the heartbeat and replaced', async () => {
      const p = await freshProject(ctx.server);
      const c = await connected(proxy.url, p, { transport, uid: 'd', ...fast, heartbeat: { intervalMs: 300, timeoutMs: 300 } });
      const before = c.connId;
      const down = c.once('disconnect');
      const back = c.once('session');
      proxy.freeze();
      const [info] = await down;
      expect(info).toMatchObject({ reason: 'dead_link', willReconnect: true, transport });
      await back;
      expect(c.connId).not.toBe(before);
      expect(await c.online('d')).toBe(true);
    });

    test(transport === 'ws' ? 'that is reset is replaced at once' : 'that is reset resumes the same session, losing nothing', async () => {
      const p = await freshProject(ctx.server);
      const c = await connected(proxy.url, p, { transport, uid: 'r', ...fast });
      const other = await connected(ctx.server.url, p, { transport: 'ws', uid: 'o' });
      const before = c.connId;
      const drops = collect<unknown>((push) => c.on('disconnect', push));
      const back = c.once('session');
      proxy.cut();
      if (transport === 'ws') {
        await back;
        expect(c.connId).not.toBe(before);
      }
      // SSE resumes its stream (Last-Event-ID), polling retries its GET: same session.
      const got = c.once('direct');
      await other.send('r', 'through');
      expect((await got)[0].msg).toBe('through');
      if (transport !== 'ws') {
        expect(c.connId).toBe(before);
        expect(drops.items).toEqual([]);
      }
      expect(await c.list()).toEqual(['o', 'r']);
    });
  });

  test("mode=long: the SDK answers the server's pings, so the link stays", async () => {
    const p = await freshProject(ctx.server);
    const c = await connected(ctx.server.url, p, { transport, mode: 'long', ...fast, heartbeat: false });
    const connId = c.connId;
    const pings = collect<unknown>((push) => c.on('ping', push));
    const drops = collect<unknown>((push) => c.on('disconnect', push));
    // Two unanswered pings close a link (4000); three answered ones prove it stays.
    await pings.count(3, 10000);
    expect(drops.items).toEqual([]);
    expect(c.connId).toBe(connId);
  });

  test('a revoked token ends the client (1008 token_revoked), without reconnecting', async () => {
    const p = await freshProject(ctx.server);
    const c: WsdClient = await connected(ctx.server.url, p, { transport, uid: 'x', ...fast });
    const closed = c.once('state', (s) => s.to === 'closed');
    const res = await fetch(`${ctx.server.url}/token?projectKey=${p.project}&token=${p.token}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ctx.server.adminToken}` },
    });
    expect(res.status).toBe(200);
    const [change] = await closed;
    expect(change.error?.code).toBe('token_revoked');
    await expect(c.list()).rejects.toMatchObject({ code: 'client_closed' });
  });

  test('a deleted project ends the client (1008 project_deleted)', async () => {
    const p = await freshProject(ctx.server);
    const c = await connected(ctx.server.url, p, { transport, ...fast });
    const closed = c.once('state', (s) => s.to === 'closed');
    await fetch(`${ctx.server.url}/project?key=${p.project}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ctx.server.adminToken}` },
    });
    expect((await closed)[0].error?.code).toBe('project_deleted');
  });
});
