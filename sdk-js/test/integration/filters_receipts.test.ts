// Event filters, delivery receipts and signed binds through the SDK, against a real wsd:
// unsub/sub/listUnsubscribed on each transport, ack and at-least-once redelivery with
// repeats dropped by id, filters and signatures kept across a reconnect.
//
// A filtered notice is checked against a later direct message (delivery is in log order):
// once that marker is in, a notice that did not come before it will not come.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { WsdClient } from '../../dist/esm/index.js';
import { collect, connected, freshProject, makeClient, TRANSPORTS, useServer } from '../support/harness.js';
import { startProxy, type Proxy } from '../support/proxy.js';
import type { Wsd } from '../support/wsd.js';

const ctx = useServer();

async function admin(server: Wsd, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function atLeastOnceProject(): Promise<{ project: string; token: string }> {
  const p = await freshProject(ctx.server);
  await admin(ctx.server, 'PATCH', '/project', { key: p.project, settings: { offlineDelivery: 'at_least_once' } });
  return p;
}

let markers = 0;
// `from` sends a direct message to `to` (bound as `toUid`); resolves once `to` has it.
async function marker(from: WsdClient, to: WsdClient, toUid: string): Promise<void> {
  const text = `marker-${++markers}`;
  const got = new Promise<void>((resolve) => {
    to.on('direct', (m) => {
      if (m.msg === text) resolve();
    });
  });
  await from.send(toUid, text);
  await got;
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  test('unsub stops presence notices, sub restores them, listUnsubscribed lists them', async () => {
    const p = await freshProject(ctx.server);
    const watcher = await connected(ctx.server.url, p, { transport, uid: 'watcher' });
    const presence = collect<string>((push) => {
      watcher.on('online', (m) => push(`online ${m.uid}`));
      watcher.on('offline', (m) => push(`offline ${m.uid}`));
    });
    expect(await watcher.unsub(['online', 'offline'])).toEqual(['offline', 'online']);
    expect(await watcher.listUnsubscribed()).toEqual(['offline', 'online']);
    const friend = await connected(ctx.server.url, p, { transport: 'ws', uid: 'friend' });
    await marker(friend, watcher, 'watcher');
    expect(presence.items).toEqual([]);

    expect(await watcher.sub(['online'])).toEqual(['offline']);
    await connected(ctx.server.url, p, { transport: 'ws', uid: 'late' });
    expect(await presence.count(1)).toEqual(['online late']);
  });

  test('ack removes stored messages; with at-least-once the rest come again on the next bind', async () => {
    const p = await atLeastOnceProject();
    const alice = await connected(ctx.server.url, p, { transport: 'ws', uid: 'alice' });
    const one = await alice.send('bob', 'one');
    const two = await alice.send('bob', 'two');
    expect([one.offline, two.offline]).toEqual([true, true]);

    const bob = makeClient(ctx.server.url, p, { transport, ackMode: 'manual' });
    const got = collect<{ id?: string; msg: unknown; offline?: boolean }>((push) => bob.on('direct', push));
    await bob.bind('bob');
    expect((await got.count(2)).map((m) => [m.id, m.msg, m.offline])).toEqual([[one.id, 'one', true], [two.id, 'two', true]]);
    expect(await bob.ack([one.id!, 'never-stored'])).toEqual([one.id]);
    await bob.close();

    const again = makeClient(ctx.server.url, p, { transport, ackMode: 'manual' });
    const gotAgain = collect<{ id?: string }>((push) => again.on('direct', push));
    await again.bind('bob');
    expect((await gotAgain.count(1)).map((m) => m.id)).toEqual([two.id]);
    expect(await again.ack([two.id!])).toEqual([two.id]);
  });
});

test('ackMode auto acknowledges stored messages once the app has had them', async () => {
  const p = await atLeastOnceProject();
  const alice = await connected(ctx.server.url, p, { transport: 'ws', uid: 'alice' });
  await alice.send('carol', 'kept until acked');
  const carol = makeClient(ctx.server.url, p, { transport: 'ws' });
  const acked = collect<string[]>((push) => carol.on('ack_success', (m) => push(m.ids)));
  const got = collect<unknown>((push) => carol.on('direct', (m) => push(m.msg)));
  await carol.bind('carol');
  expect(await got.count(1)).toEqual(['kept until acked']);
  expect((await acked.count(1))[0]).toHaveLength(1);
  await carol.close();

  const later = makeClient(ctx.server.url, p, { transport: 'ws', uid: 'carol' });
  const none = collect<unknown>((push) => later.on('direct', (m) => push(m.msg)));
  await later.connect();
  await marker(alice, later, 'carol');
  expect(none.items).toEqual([expect.stringMatching(/^marker-/)]);
});

describe('across a reconnect (a WebSocket reset)', () => {
  let proxy: Proxy;
  beforeAll(async () => {
    proxy = await startProxy(ctx.server.port);
  });
  afterAll(async () => {
    await proxy.close();
  });

  test('redelivered stored messages are dropped by id, and the filter is set again', async () => {
    const p = await atLeastOnceProject();
    const alice = await connected(ctx.server.url, p, { transport: 'ws', uid: 'alice' });
    const stored = await alice.send('dave', 'once for the app');
    const dave = makeClient(proxy.url, p, { transport: 'ws', uid: 'dave', ackMode: 'manual' });
    const got = collect<string | undefined>((push) => dave.on('direct', (m) => push(m.id)));
    const rebound = collect<unknown>((push) => dave.on('bind_success', push));
    await dave.connect();
    expect(await got.count(1)).toEqual([stored.id]);
    await dave.unsub(['broadcast']);
    const before = dave.connId;

    const back = dave.once('session');
    proxy.cut();
    await back;
    expect(dave.connId).not.toBe(before);
    expect(await rebound.count(2)).toHaveLength(2);  // the bind again, which hands the message out again
    expect(await dave.listUnsubscribed()).toEqual(['broadcast']);
    await marker(alice, dave, 'dave');
    expect(got.items.filter((id) => id === stored.id)).toHaveLength(1);  // the repeat was dropped
    expect(await dave.ack([stored.id!])).toEqual([stored.id]);
  });
});

describe('signed bind', () => {
  test('bind(uid, {exp, sig}) sends the signature, and a project that requires one admits it', async () => {
    const p = await freshProject(ctx.server);
    const { secret } = (await admin(ctx.server, 'POST', '/project/secret', { key: p.project })) as { secret: string };
    await admin(ctx.server, 'PATCH', '/project', { key: p.project, settings: { signedBind: true } });
    const exp = Math.floor(Date.now() / 1000) + 600;
    const sig = createHmac('sha256', secret).update(`erin:${exp}`).digest('hex');

    const unsigned = await connected(ctx.server.url, p, { transport: 'ws' });
    await expect(unsigned.bind('erin')).rejects.toMatchObject({ code: 'bind_signature_required' });
    const forged = await connected(ctx.server.url, p, { transport: 'ws' });
    await expect(forged.bind('erin', { exp, sig: '0'.repeat(64) })).rejects.toMatchObject({ code: 'bind_signature_invalid' });

    const signed = makeClient(ctx.server.url, p, { transport: 'ws' });
    const sent: unknown[] = [];
    signed.on('bind_success', (_m, context) => sent.push(context.request));
    await signed.connect();
    await expect(signed.bind('erin', { exp, sig })).resolves.toEqual({ type: 'bind_success', uid: 'erin' });
    expect(sent).toEqual([{ type: 'bind', uid: 'erin', exp, sig }]);
  });

  test('options.bindSignature signs the bind of options.uid', async () => {
    const p = await freshProject(ctx.server);
    const { secret } = (await admin(ctx.server, 'POST', '/project/secret', { key: p.project })) as { secret: string };
    await admin(ctx.server, 'PATCH', '/project', { key: p.project, settings: { signedBind: true } });
    const exp = Math.floor(Date.now() / 1000) + 600;
    const sig = createHmac('sha256', secret).update(`frank:${exp}`).digest('hex');
    const c = await connected(ctx.server.url, p, { transport: 'sse', uid: 'frank', bindSignature: { exp, sig } });
    expect(c.uid).toBe('frank');
  });
});
