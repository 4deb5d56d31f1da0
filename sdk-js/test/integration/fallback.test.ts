// Automatic fallback ws → sse → poll, against a real wsd behind a proxy that refuses or
// stalls some transports, as networks in the wild do.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { TransportName, WsdError } from '../../dist/esm/index.js';
import { collect, freshProject, makeClient, useServer } from '../support/harness.js';
import { startProxy, type Proxy } from '../support/proxy.js';

const ctx = useServer();
let proxy: Proxy;
beforeEach(async () => {
  proxy = await startProxy(ctx.server.port);
});
afterEach(async () => {
  await proxy.close();
});

describe('fallback', () => {
  test.each([
    [[], 'ws'],
    [['/ws'], 'sse'],
    [['/ws', '/sse'], 'poll'],
  ] as Array<[string[], TransportName]>)('with %j refused, the client lands on %s and works', async (blocked, expected) => {
    proxy.block(blocked);
    const p = await freshProject(ctx.server);
    const c = makeClient(proxy.url, p, { uid: 'u' });
    const failures = collect<{ transport: TransportName; error: WsdError }>((push) => c.on('transport_failed', push));
    const info = await c.connect();
    expect(info.transport).toBe(expected);
    expect(failures.items.map((f) => f.transport)).toEqual(blocked.map((b) => b.slice(1)));
    for (const f of failures.items) expect(f.error.code).toBe('transport_failed');
    const other = makeClient(ctx.server.url, p, { transport: 'ws', uid: 'v' });
    await other.connect();
    const got = c.once('direct');
    await other.send('u', 'hello');
    expect((await got)[0].msg).toBe('hello');
    expect(await c.list()).toEqual(['u', 'v']);
  });

  test('a transport that never answers is given up after connectTimeoutMs', async () => {
    proxy.stall(['/ws']);
    const p = await freshProject(ctx.server);
    const c = makeClient(proxy.url, p, { connectTimeoutMs: 500 });
    const failures = collect<{ transport: TransportName; error: WsdError }>((push) => c.on('transport_failed', push));
    expect((await c.connect()).transport).toBe('sse');
    expect(failures.items).toHaveLength(1);
    expect(failures.items[0]).toMatchObject({ transport: 'ws', error: { code: 'timeout' } });
  });

  test('the order given is the order tried', async () => {
    const p = await freshProject(ctx.server);
    const c = makeClient(proxy.url, p, { transports: ['poll', 'ws'] });
    expect((await c.connect()).transport).toBe('poll');
  });

  test('when every transport fails, the client backs off and tries again until one works', async () => {
    proxy.block(['/ws', '/sse', '/poll']);
    const p = await freshProject(ctx.server);
    const c = makeClient(proxy.url, p, { reconnect: { minDelayMs: 20, maxDelayMs: 40 } });
    const retries = collect<{ attempt: number; delayMs: number }>((push) => c.on('reconnecting', push));
    const connecting = c.connect();
    const seen = await retries.count(2);
    expect(seen.map((r) => r.attempt)).toEqual([2, 3]);
    for (const r of seen) expect(r.delayMs).toBeLessThanOrEqual(40);
    proxy.block(['/ws']);
    expect((await connecting).transport).toBe('sse');
  });
});
