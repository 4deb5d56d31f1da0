// ServerApi (the server API, docs/server-api.md) against a real wsd, received by the SDK's
// own clients; every answer is checked against schemas/http/api_*_response.json.
import { describe, expect, test } from 'vitest';
import { KICK_CLOSE_CODE, ServerApi, WsdError } from '../../dist/esm/index.js';
import { collect, connected, freshProject, useServer } from '../support/harness.js';
import { problems } from '../support/schemas.js';

const ctx = useServer();

const answers: string[] = [];
const checking: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const name = new URL(String(input)).pathname.slice('/api/'.length);
  answers.push(...problems(res.status === 200 ? `http/api_${name}_response` : 'http/error_response', await res.clone().json()));
  return res;
};

async function withSecret() {
  const p = await freshProject(ctx.server);
  const res = await fetch(`${ctx.server.url}/project/secret`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ key: p.project }),
  });
  const { secret } = (await res.json()) as { secret: string };
  return { ...p, api: new ServerApi({ url: ctx.server.url, project: p.project, secret, fetch: checking }) };
}

describe('ServerApi', () => {
  test('send, multicast and broadcast reach the SDK clients, from "@server" unless told otherwise', async () => {
    const { api, ...p } = await withSecret();
    const bob = await connected(ctx.server.url, p, { transport: 'ws' });
    await bob.bind('bob');
    const directs = collect<{ msg: unknown; from: string; id?: string; offline?: boolean }>((push) => bob.on('direct', push));
    const broadcasts = collect<{ msg: unknown; id?: string }>((push) => bob.on('broadcast', push));

    const sent = await api.send('bob', { n: 1 });
    expect(sent).toEqual({ id: expect.any(String), to: 'bob', offline: false });
    const stored = await api.send('carol', 'later', { from: 'billing' });
    expect(stored.offline).toBe(true);
    const multi = await api.multicast(['bob', 'carol', 'bob'], 'both');
    expect(multi).toEqual({ id: expect.any(String), delivered: ['bob'], stored: ['carol'], failed: [] });
    const cast = await api.broadcast({ all: true }, { from: 'ops' });

    const [first, second] = await directs.count(2);
    expect(first).toMatchObject({ msg: { n: 1 }, from: '@server', id: sent.id });
    expect(second).toMatchObject({ msg: 'both', id: multi.id });
    expect((await broadcasts.count(1))[0]).toMatchObject({ msg: { all: true }, id: cast.id });
    expect(await api.online('bob')).toBe(true);
    expect(await api.list()).toEqual(['bob']);
    expect(answers.splice(0)).toEqual([]);
  });

  test('kick closes the uid with 4001 and the reason; roomMembers lists a room', async () => {
    const { api, ...p } = await withSecret();
    const dana = await connected(ctx.server.url, p, { transport: 'ws' });
    await dana.bind('dana');
    await dana.joinRoom('r1');
    expect(await api.roomMembers('r1')).toEqual(['dana']);
    const disconnects = collect<{ code: number; reason: string }>((push) => dana.on('disconnect', push));
    const closed = await api.kick({ uid: 'dana' }, 'suspended');
    expect(closed).toHaveLength(1);
    expect((await disconnects.count(1))[0]).toMatchObject({ code: KICK_CLOSE_CODE, reason: 'suspended' });
    expect(await api.kick({ conn: 'no-such-conn' })).toEqual([]);
    expect(answers.splice(0)).toEqual([]);
  });

  test('a wrong secret rejects with unauthorized (401); bad input with the server code', async () => {
    const { api, project } = await withSecret();
    const wrong = new ServerApi({ url: ctx.server.url, project, secret: 'wrong', fetch: checking });
    await expect(wrong.list()).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    await expect(api.multicast([], 'x')).rejects.toBeInstanceOf(WsdError);
    await expect(api.multicast([], 'x')).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    const admin = new ServerApi({ url: ctx.server.url, project, secret: ctx.server.adminToken, fetch: checking });
    expect(await admin.list()).toEqual([]);
    expect(answers.splice(0)).toEqual([]);
  });
});
