// Revoking a token, expiring it, or deleting the project closes the live connections
// that used it (1008 with a reason) on every transport, and refuses new ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject, issueToken, revokeToken, patchToken, deleteProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

async function refused(p, token) {
  const res = await fetch(`${server.url}/poll?project=${p.project}&token=${token}`);
  return { status: res.status, body: await res.json() };
}

for (const transport of TRANSPORTS) {
  test(`${transport}: DELETE /token closes its connections and refuses new ones; other tokens are unaffected`, async () => {
    const p = await freshProject(server);
    const other = await issueToken(server, p.project);
    const victim = await bound(server, { ...p, transport }, 'victim');
    const bystander = await bound(server, { project: p.project, token: other, transport: 'ws' }, 'bystander');
    assert.equal((await revokeToken(server, p.project, p.token)).status, 200);
    const closed = await victim.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /revoked/);
    assert.equal((await refused(p, p.token)).status, 401);
    assert.equal((await bystander.next('offline')).uid, 'victim');
    await bystander.send({ type: 'list' });
    assert.deepEqual((await bystander.next('list')).uids, ['bystander']);
    bystander.close();
  });

  test(`${transport}: PATCH to a past expiresAt closes its connections`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    assert.equal((await patchToken(server, p.project, p.token, Date.now() - 1000)).status, 200);
    const closed = await c.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /expired/);
    assert.equal((await refused(p, p.token)).body.code, 'token_expired');
  });

  test(`${transport}: deleting the project closes its connections, and handshakes then get 404`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport });
    assert.equal((await deleteProject(server, p.project)).status, 200);
    const closed = await c.closed;
    assert.equal(closed.code, 1008);
    assert.match(closed.reason, /deleted/);
    assert.equal((await refused(p, p.token)).status, 404);
  });
}

test('a token that reaches its expiry while connected is closed by the clock', async () => {
  const p = await freshProject(server);
  const shortLived = await issueToken(server, p.project, Date.now() + 1500);
  const c = await connect(server, { project: p.project, token: shortLived, transport: 'ws' });
  const closed = await c.closed;
  assert.equal(closed.code, 1008);
  assert.match(closed.reason, /expired/);
});

// The clock's check looks at the sessions only when a token they hold may have expired:
// a token moved to expire sooner than any other must still be noticed, on a gateway whose
// connections have long been idle and whose other tokens never expire.
test('a token updated to expire soon while its connection is idle is closed by the clock when that time comes', async () => {
  const p = await freshProject(server);
  const forever = await connect(server, { ...p, transport: 'ws' });
  const token = await issueToken(server, p.project, Date.now() + 3_600_000);
  const c = await connect(server, { project: p.project, token, transport: 'ws' });
  // The scenario, not a wait for something: the connections stay idle through a few of
  // the clock's checks (one a second), which see nothing expire before an hour from now.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.equal((await patchToken(server, p.project, token, Date.now() + 1500)).status, 200);
  const closed = await c.closed;
  assert.equal(closed.code, 1008);
  assert.match(closed.reason, /expired/);
  await forever.send({ type: 'list' });
  assert.deepEqual((await forever.inbox.next('list')).uids, []);
  forever.close();
});
