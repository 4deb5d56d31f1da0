// Project settings and server secrets through the admin API: what an operator changes,
// what every later answer shows, and that it outlives a restart (it is in the log).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { call, createProject, listProjects, rotateSecret, updateProject } from './lib/admin.mjs';

let server;
before(async () => (server = await startServer()));
after(async () => server?.dispose());

const settingsOf = async (key) => (await listProjects(server)).find((p) => p.key === key).settings;

test('a new project has seed behaviour: no rules, no cap, no secret', async () => {
  await createProject(server, 'plain');
  assert.deepEqual(await settingsOf('plain'), {
    signedBind: false,
    allowedOrigins: [],
    maxConnections: 0,
    offlineDelivery: 'at_most_once',
    roomHistorySize: 100,
    roomHistoryTtl: 86400,
    hasSecret: false,
  });
});

test('PATCH /project changes only the settings it names', async () => {
  await createProject(server, 'rules');
  const first = await updateProject(server, 'rules', { signedBind: true, maxConnections: 50 });
  assert.equal(first.key, 'rules');
  assert.equal(first.settings.signedBind, true);
  assert.equal(first.settings.maxConnections, 50);
  const second = await updateProject(server, 'rules', {
    allowedOrigins: ['https://app.example', 'http://localhost:3000'],
    offlineDelivery: 'at_least_once',
  });
  assert.equal(second.settings.signedBind, true, 'kept');
  assert.equal(second.settings.maxConnections, 50, 'kept');
  assert.deepEqual(second.settings.allowedOrigins, ['https://app.example', 'http://localhost:3000']);
  assert.equal(second.settings.offlineDelivery, 'at_least_once');
  assert.deepEqual(await settingsOf('rules'), second.settings);
});

test('bad settings are refused with 400 and change nothing', async () => {
  await createProject(server, 'strict');
  const before = await settingsOf('strict');
  const bad = [
    { key: 'strict' },
    { key: 'strict', settings: {} },
    { key: 'strict', settings: { maxConnections: -1 } },
    { key: 'strict', settings: { offlineDelivery: 'sometimes' } },
    { key: 'strict', settings: { allowedOrigins: ['not an origin'] } },
    { key: 'strict', settings: { allowedOrigins: ['https://a.example/path'] } },
    { key: 'strict', settings: { signedBind: 'yes' } },
    { key: 'strict', settings: { colour: 'blue' } },
    { key: 'strict', settings: { roomHistorySize: 10001 } },
    { key: 'strict', settings: { roomHistorySize: -1 } },
    { key: 'strict', settings: { roomHistoryTtl: 0 } },
    { key: 'strict', settings: { roomHistoryTtl: 2592001 } },
  ];
  for (const body of bad) {
    const r = await call(server, 'PATCH', '/project', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.code, 'bad_request');
  }
  assert.deepEqual(await settingsOf('strict'), before);
  const missing = await call(server, 'PATCH', '/project', { key: 'nope', settings: { signedBind: true } });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.code, 'project_not_found');
  assert.equal((await call(server, 'PATCH', '/project', { key: 'strict', settings: { signedBind: true } }, 'wrong')).status, 401);
  assert.deepEqual(await settingsOf('strict'), before);
});

test('room history retention is a setting: size 0..10000, TTL up to 30 days', async () => {
  await createProject(server, 'history');
  const set = await updateProject(server, 'history', { roomHistorySize: 0, roomHistoryTtl: 2592000 });
  assert.equal(set.settings.roomHistorySize, 0);
  assert.equal(set.settings.roomHistoryTtl, 2592000);
  const again = await updateProject(server, 'history', { roomHistorySize: 10000 });
  assert.equal(again.settings.roomHistorySize, 10000);
  assert.equal(again.settings.roomHistoryTtl, 2592000, 'kept');
  assert.deepEqual(await settingsOf('history'), again.settings);
});

test('a server secret is shown once; rotating says until when the previous one holds', async () => {
  await createProject(server, 'backend');
  const first = await rotateSecret(server, 'backend');
  assert.match(first.secret, /^[0-9a-f]{64}$/);
  assert.equal(first.previousValidUntil, null, 'there was no secret before');
  assert.equal((await settingsOf('backend')).hasSecret, true);
  const listed = JSON.stringify(await listProjects(server));
  assert.ok(!listed.includes(first.secret), 'the list never shows a secret');
  const second = await rotateSecret(server, 'backend', 60);
  assert.notEqual(second.secret, first.secret);
  assert.ok(second.previousValidUntil >= second.createdAt + 60_000 - 1);
  const missing = await call(server, 'POST', '/project/secret', { key: 'nope' });
  assert.equal(missing.status, 404);
  const negative = await call(server, 'POST', '/project/secret', { key: 'backend', graceSeconds: -5 });
  assert.equal(negative.status, 400);
});

test('settings come back after a restart, from the log', async () => {
  await createProject(server, 'durable');
  const set = await updateProject(server, 'durable', { maxConnections: 9, offlineDelivery: 'at_least_once' });
  await rotateSecret(server, 'durable');
  await server.restart();
  const after = await settingsOf('durable');
  assert.equal(after.maxConnections, 9);
  assert.equal(after.offlineDelivery, 'at_least_once');
  assert.equal(after.hasSecret, true);
  assert.equal(after.signedBind, set.settings.signedBind);
});
