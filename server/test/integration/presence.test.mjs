// list, online, and the online/offline notifications on transitions only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

let server;
before(async () => (server = await startServer(['--sse-resume-window', '0.5'])));
after(async () => server?.dispose());

for (const transport of TRANSPORTS) {
  test(`${transport}: list and online report who is bound`, async () => {
    const p = await freshProject(server);
    const a = await bound(server, { ...p, transport }, 'alice');
    const b = await bound(server, { ...p, transport }, 'bob');
    await a.send({ type: 'list' });
    assert.deepEqual((await a.next('list')).uids, ['alice', 'bob']);
    await a.send({ type: 'online', uid: 'bob' });
    assert.deepEqual(await a.next('online_result'), { type: 'online_result', uid: 'bob', online: true });
    await a.send({ type: 'online', uid: 'nobody' });
    assert.equal((await a.next('online_result')).online, false);
    a.close();
    b.close();
  });
}

test('online fires for the first session of a uid and offline for its last', async () => {
  const p = await freshProject(server);
  const watcher = await connect(server, { ...p, transport: 'ws', name: 'watcher' });
  const first = await bound(server, { ...p, transport: 'ws' }, 'carol');
  const online = await watcher.next('online');
  assert.equal(online.uid, 'carol');
  assert.equal(typeof online.timestamp, 'number');
  const second = await bound(server, { ...p, transport: 'sse' }, 'carol');
  await watcher.expectNone('online', 200);
  first.close();
  await first.closed;
  await watcher.expectNone('offline', 300);
  second.close();
  const offline = await watcher.next('offline');
  assert.equal(offline.uid, 'carol');
  watcher.close();
});

test('presence of one project is not told to another', async () => {
  const p = await freshProject(server);
  const other = await freshProject(server);
  const watcher = await connect(server, { ...other, transport: 'ws' });
  const a = await bound(server, { ...p, transport: 'ws' }, 'dave');
  a.close();
  await a.closed;
  await watcher.send({ type: 'list' });
  assert.deepEqual((await watcher.next('list')).uids, []);
  await watcher.expectNone((m) => m.type === 'online' || m.type === 'offline', 200);
  watcher.close();
});
