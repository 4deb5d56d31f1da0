// A token function (`token: () => Promise<string>`) against a real wsd, over each transport:
// asked before every connect and reconnect, and again when the server says the token
// expired, whether it expires during a session (1008 token_expired) or was already
// expired at the handshake (401 token_expired). One that keeps giving an expired token
// ends the client instead of looping.
import { describe, expect, test } from 'vitest';
import { AdminClient, WsdError } from '../../dist/esm/index.js';
import { connected, freshProject, makeClient, TRANSPORTS, useServer } from '../support/harness.js';

const ctx = useServer();

// A token function that gives `first` once, then a new token that never expires; `calls`
// counts how often the client asked.
function tokenFunction(admin: AdminClient, project: string, first: string) {
  const source = {
    calls: 0,
    given: [] as string[],
    async get(): Promise<string> {
      source.calls++;
      const token = source.calls === 1 ? first : (await admin.createToken(project, null)).token;
      source.given.push(token);
      return token;
    },
  };
  return source;
}

async function expiredToken(admin: AdminClient, project: string): Promise<string> {
  const { token } = await admin.createToken(project, null);
  await admin.updateToken(project, token, Date.now() - 60000);
  return token;
}

describe.each(TRANSPORTS)('over %s', (transport) => {
  test('a token that expires during the session: the client gets a new one and reconnects, still bound', async () => {
    const { server } = ctx;
    const admin = new AdminClient({ url: server.url, adminToken: server.adminToken });
    const { project, token: other } = await freshProject(server);
    const shortLived = await admin.createToken(project, Date.now() + 1500);
    const source = tokenFunction(admin, project, shortLived.token);
    const client = await connected(server.url, { project, token: source.get }, { transport, uid: 'alice' });
    expect(source.calls).toBe(1);

    const dropped = client.once('disconnect');
    const back = client.once('session');
    const [drop] = await dropped;
    expect(drop).toMatchObject({ reason: 'token_expired', willReconnect: true });
    await back;
    expect(source.calls).toBe(2);
    expect(client.state).toBe('connected');
    expect(client.uid).toBe('alice');

    // The new session works: a message to alice reaches her.
    const sender = await connected(server.url, { project, token: other }, { transport: 'ws', uid: 'bob' });
    const got = client.once('direct');
    await sender.send('alice', 'after the new token');
    expect((await got)[0]).toMatchObject({ from: 'bob', msg: 'after the new token' });
  });

  test('a token already expired at the handshake: refused with token_expired, the function is asked again', async () => {
    const { server } = ctx;
    const admin = new AdminClient({ url: server.url, adminToken: server.adminToken });
    const { project } = await freshProject(server);
    const source = tokenFunction(admin, project, await expiredToken(admin, project));
    const client = await connected(server.url, { project, token: source.get }, { transport });
    expect(source.calls).toBe(2);
    expect(client.state).toBe('connected');
  });

  test('a token function that keeps giving an expired token: the client closes with token_expired', async () => {
    const { server } = ctx;
    const admin = new AdminClient({ url: server.url, adminToken: server.adminToken });
    const { project } = await freshProject(server);
    const expired = await expiredToken(admin, project);
    let calls = 0;
    const client = makeClient(server.url, { project, token: async () => (calls++, expired) }, { transport });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WsdError);
    expect((error as WsdError).code).toBe('token_expired');
    expect(calls).toBe(2);
    expect(client.state).toBe('closed');
  });
});

test('a token function that throws counts as a failed attempt: the client retries and connects once it gives a token', async () => {
  const { server } = ctx;
  const { project, token } = await freshProject(server);
  const askedAt: number[] = [];
  const source = async (): Promise<string> => {
    askedAt.push(performance.now());
    if (askedAt.length < 3) throw new Error('the backend is restarting');
    return token;
  };
  const failures: WsdError[] = [];
  const delays: number[] = [];
  const client = makeClient(server.url, { project, token: source }, { transport: 'ws' });
  client.on('reconnecting', (r) => {
    if (r.error) failures.push(r.error);
    delays.push(r.delayMs);
  });
  await client.connect();
  expect(askedAt).toHaveLength(3);
  expect(failures.map((e) => e.code)).toEqual(['transport_failed', 'transport_failed']);
  expect(failures[0]!.message).toMatch(/the token function failed: Error: the backend is restarting/);
  // No tight loop: each new ask waits out the backoff the client announced (timers may
  // fire a millisecond early).
  expect(delays).toHaveLength(2);
  for (const [i, delay] of delays.entries()) {
    expect(delay).toBeGreaterThan(0);
    expect(askedAt[i + 1]! - askedAt[i]!).toBeGreaterThanOrEqual(delay - 2);
  }
});
