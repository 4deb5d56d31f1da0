// mode=long: a ping every heartbeat interval; two unanswered pings close the connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

let server;
// 0.6 s: quick, yet a pong's round trip on a busy machine never lets two pings go unanswered.
before(async () => (server = await startServer(['--heartbeat-interval', '0.6', '--sse-resume-window', '0.5'])));
after(async () => server?.dispose());

for (const transport of TRANSPORTS) {
  test(`${transport}: answering pings keeps a long connection open`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport, mode: 'long' });
    for (let i = 0; i < 5; i++) {
      await c.next('ping', 2000);
      await c.send({ type: 'pong' });
    }
    await c.send({ type: 'list' });
    await c.next('list');
    c.close();
  });

  test(`${transport}: a long connection that stops answering is closed with 4000 and its uid goes offline`, async () => {
    const p = await freshProject(server);
    const watcher = await connect(server, { ...p, transport: 'ws', mode: 'short' });
    const silent = await bound(server, { ...p, transport, mode: 'long' }, 'sleepy');
    await watcher.next('online');
    const { code } = await silent.closed;
    assert.equal(code, 4000);
    assert.equal((await watcher.next('offline', 5000)).uid, 'sleepy');
    watcher.close();
  });

  test(`${transport}: a short connection gets no ping`, async () => {
    const p = await freshProject(server);
    const c = await connect(server, { ...p, transport, mode: 'short' });
    await c.expectNone('ping', 1000);
    c.close();
  });
}

test('a client ping is answered with pong', async () => {
  const p = await freshProject(server);
  const c = await connect(server, { ...p, transport: 'ws' });
  await c.send({ type: 'ping' });
  await c.next('pong');
  c.close();
});
