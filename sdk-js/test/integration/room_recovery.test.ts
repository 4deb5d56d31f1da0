// Rooms that remember, against a real wsd: room messages sent while a member's link is
// down reach it after the automatic reconnect, each once and in order, because the SDK
// re-joins from the last position it saw. Also sendToRoom, roomHistory and their errors.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { collect, connected, freshProject, useServer } from '../support/harness.js';
import { startProxy, type Proxy } from '../support/proxy.js';

const ctx = useServer();
const fast = { reconnect: { minDelayMs: 50, maxDelayMs: 250 }, connectTimeoutMs: 2000 };

describe('room recovery over a reconnect', () => {
  let proxy: Proxy;
  beforeEach(async () => {
    proxy = await startProxy(ctx.server.port);
  });
  afterEach(async () => {
    await proxy.close();
  });

  test('room messages sent while the link is down arrive after the reconnect, each once, in order', async () => {
    const p = await freshProject(ctx.server);
    const member = await connected(proxy.url, p, { transport: 'ws', uid: 'm', ...fast });
    const sender = await connected(ctx.server.url, p, { transport: 'ws', uid: 's' });
    await member.joinRoom('lobby');
    await sender.joinRoom('lobby');
    const got = collect<{ msg: unknown; offset: number }>((push) => member.on('room_message', push));
    await sender.sendToRoom('lobby', { n: 0 });
    await got.count(1);
    expect(member.roomPosition('lobby')?.offset).toBe(1);

    // The link drops and stays down (reconnects are refused) while 3 messages are sent.
    const down = member.once('disconnect');
    proxy.block(['/ws']);
    proxy.cut();
    expect((await down)[0].willReconnect).toBe(true);
    const sent = [];
    for (let n = 1; n <= 3; n++) sent.push(await sender.sendToRoom('lobby', { n }));
    expect(sent.map((r) => r.offset)).toEqual([2, 3, 4]);

    const back = member.once('session');
    proxy.block([]);
    await back;
    await got.count(4);
    // One more live message: whatever came before it on the new link has come.
    await sender.sendToRoom('lobby', { n: 4 });
    await got.count(5);
    expect(got.items.map((m) => m.msg)).toEqual([0, 1, 2, 3, 4].map((n) => ({ n })));
    expect(got.items.map((m) => m.offset)).toEqual([1, 2, 3, 4, 5]);
    expect(member.roomPosition('lobby')).toEqual({ offset: 5, epoch: sent[0]!.epoch });
  });
});

describe('room messages and history', () => {
  test('sendToRoom reaches the other members; roomHistory pages back through what was kept', async () => {
    const p = await freshProject(ctx.server);
    const a = await connected(ctx.server.url, p, { uid: 'a' });
    const b = await connected(ctx.server.url, p, { uid: 'b' });
    const joined = await a.createRoom('r');
    expect(joined).toMatchObject({ roomId: 'r', offset: 0, epoch: '' });
    await b.joinRoom('r');
    const got = collect<{ msg: unknown }>((push) => b.on('room_message', push));
    for (let n = 1; n <= 3; n++) await a.sendToRoom('r', n);
    expect((await got.count(3)).map((m) => m.msg)).toEqual([1, 2, 3]);

    const newest = await b.roomHistory('r', { limit: 2 });
    expect(newest.messages.map((m) => m.msg)).toEqual([2, 3]);
    expect(newest).toMatchObject({ hasMore: true, offset: 3 });
    const older = await b.roomHistory('r', { before: newest.messages[0]!.offset });
    expect(older.messages.map((m) => m.msg)).toEqual([1]);
    expect(older.hasMore).toBe(false);
    const after = await b.roomHistory('r', { since: { offset: 1, epoch: newest.epoch } });
    expect(after.messages.map((m) => m.msg)).toEqual([2, 3]);
  });

  test('a non-member is refused with not_in_room; a since of another epoch with epoch_changed', async () => {
    const p = await freshProject(ctx.server);
    const a = await connected(ctx.server.url, p, { uid: 'a' });
    const outsider = await connected(ctx.server.url, p, { uid: 'o' });
    await a.createRoom('r');
    await a.sendToRoom('r', 'kept');
    await expect(outsider.sendToRoom('r', 'x')).rejects.toMatchObject({ code: 'not_in_room' });
    await expect(outsider.roomHistory('r')).rejects.toMatchObject({ code: 'not_in_room' });
    await expect(a.roomHistory('r', { since: { offset: 1, epoch: 'another' } })).rejects.toMatchObject({ code: 'epoch_changed' });
    expect((await a.roomHistory('r')).messages.map((m) => m.msg)).toEqual(['kept']);
  });
});
