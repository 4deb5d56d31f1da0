// The admin API exactly as the seed lists it: /project and /token with a bearer token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { call, createProject, issueToken, listProjects } from './lib/admin.mjs';
import { assertValid } from './lib/schemas.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

test('a project is created, listed with its tokens, and deleted', async () => {
  const created = await createProject(server, 'shop', 'Shop');
  assert.equal(created.key, 'shop');
  assert.equal(created.name, 'Shop');
  const token = await issueToken(server, 'shop');
  const listed = (await listProjects(server)).find((p) => p.key === 'shop');
  assert.equal(listed.name, 'Shop');
  assert.deepEqual(listed.tokens.map((t) => t.token), [token]);
  assert.equal(listed.connections, 0);
  const deleted = await call(server, 'DELETE', '/project?key=shop');
  assert.equal(deleted.status, 200);
  assertValid('http/status_success_response', deleted.body);
  assert.equal((await listProjects(server)).find((p) => p.key === 'shop'), undefined);
});

test('a duplicate project key is refused with 409', async () => {
  await createProject(server, 'dup');
  const again = await call(server, 'POST', '/project', { key: 'dup', name: 'again' });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, 'project_exists');
});

test('malformed bodies and keys are refused with 400 and change nothing', async () => {
  const before = await listProjects(server);
  for (const body of ['not json', '[]', { name: 'no key' }, { key: 'has space' }, { key: 42 }, { key: 'x'.repeat(65) }]) {
    const res = await fetch(server.url + '/project', {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    assert.equal(res.status, 400, JSON.stringify(body));
    assertValid('http/error_response', await res.json());
  }
  assert.deepEqual(await listProjects(server), before);
});

test('a missing or wrong admin token is refused with 401', async () => {
  assert.equal((await call(server, 'GET', '/project', undefined, null)).status, 401);
  assert.equal((await call(server, 'GET', '/project', undefined, 'wrong')).status, 401);
  assert.equal((await call(server, 'POST', '/project', { key: 'sneaky' }, 'wrong')).status, 401);
  assert.equal((await listProjects(server)).find((p) => p.key === 'sneaky'), undefined);
});

test('a method an admin path does not take is 405 with the admin token, 401 without it; an unknown path is 404', async () => {
  for (const [method, path] of [['PUT', '/project'], ['GET', '/project/secret'], ['GET', '/token'], ['HEAD', '/project']]) {
    const refused = await fetch(server.url + path, { method });
    assert.equal(refused.status, 401, `${method} ${path} without the token`);
    const wrong = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${server.adminToken}` } });
    assert.equal(wrong.status, 405, `${method} ${path} with the token`);
    if (method !== 'HEAD') {
      assert.equal((await refused.json()).code, 'unauthorized');
      assert.equal((await wrong.json()).code, 'method_not_allowed');
    }
  }
  const unknown = await call(server, 'GET', '/projects');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'not_found');
});

test('tokens are issued with an expiry, changed with PATCH and revoked with DELETE', async () => {
  await createProject(server, 'tok');
  const issued = await call(server, 'POST', '/token', { projectKey: 'tok' });
  assert.equal(issued.status, 200);
  assertValid('http/token_response', issued.body);
  assert.ok(issued.body.expiresAt > Date.now(), 'a default expiry in the future');
  const forever = await call(server, 'POST', '/token', { projectKey: 'tok', expiresAt: null });
  assert.equal(forever.body.expiresAt, null);
  const later = Date.now() + 3600_000;
  const patched = await call(server, 'PATCH', '/token', { projectKey: 'tok', token: issued.body.token, expiresAt: later });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.expiresAt, later);
  const listed = (await listProjects(server)).find((p) => p.key === 'tok');
  assert.equal(listed.tokens.find((t) => t.token === issued.body.token).expiresAt, later);
  const revoked = await call(server, 'DELETE', `/token?projectKey=tok&token=${issued.body.token}`);
  assert.equal(revoked.status, 200);
  const again = await call(server, 'DELETE', `/token?projectKey=tok&token=${issued.body.token}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.code, 'token_not_found');
});

test('unknown projects and tokens are 404', async () => {
  assert.equal((await call(server, 'POST', '/token', { projectKey: 'nope' })).status, 404);
  assert.equal((await call(server, 'DELETE', '/project?key=nope')).body.code, 'project_not_found');
  await createProject(server, 'has-tokens');
  const patch = await call(server, 'PATCH', '/token', { projectKey: 'has-tokens', token: 'nope', expiresAt: null });
  assert.equal(patch.status, 404);
  assert.equal(patch.body.code, 'token_not_found');
});

test('health check answers without auth', async () => {
  const res = await fetch(server.url + '/healthz');
  assert.equal(res.status, 200);
  assertValid('http/healthz_response', await res.json());
});

test('expiresAt in Unix seconds, or with a fraction, means the same moment', async () => {
  await createProject(server, 'seconds');
  const inAnHour = Date.now() / 1000 + 3600;
  const r = await call(server, 'POST', '/token', { projectKey: 'seconds', expiresAt: inAnHour });
  assert.equal(r.status, 200);
  assert.ok(Math.abs(r.body.expiresAt - inAnHour * 1000) < 1000, `${r.body.expiresAt}`);
  const conn = await fetch(`${server.url}/poll?project=seconds&token=${r.body.token}`);
  assert.equal(conn.status, 200, 'the token is valid: seconds were not read as a 1970 date');
});
