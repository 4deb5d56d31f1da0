// The bind/send race: sends racing a bind lose nothing and duplicate nothing. Whatever
// the interleaving, each message reaches the recipient exactly once, live or from its
// offline inbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound, connect } from './lib/clients.mjs';

let server;
before(async () => (server = await startServer(['--rate-limit', '100000', '--rate-burst', '100000'])));
after(async () => server?.dispose());

const MESSAGES = 200;

for (let round = 1; round <= 5; round++) {
  test(`round ${round}: ${MESSAGES} sends racing a bind all arrive exactly once`, async () => {
    const p = await freshProject(server);
    const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
    const receiver = await connect(server, { ...p, transport: 'ws' });
    const bindAt = Math.floor(Math.random() * MESSAGES);
    for (let i = 0; i < MESSAGES; i++) {
      if (i === bindAt) await receiver.send({ type: 'bind', uid: 'x' });
      await sender.send({ type: 'send', to: 'x', msg: i });
    }
    const acks = [];
    for (let i = 0; i < MESSAGES; i++) acks.push(await sender.next('send_success'));
    const stored = acks.filter((a) => a.offline).length;
    const seen = new Map();
    let fromInbox = 0;
    for (let i = 0; i < MESSAGES; i++) {
      const m = await receiver.next('direct');
      seen.set(m.msg, (seen.get(m.msg) ?? 0) + 1);
      if (m.offline) fromInbox++;
    }
    await receiver.expectNone('direct', 200);
    for (let i = 0; i < MESSAGES; i++) assert.equal(seen.get(i), 1, `message ${i} arrived ${seen.get(i) ?? 0} times`);
    // What the sender was told was stored is exactly what came out of the inbox.
    assert.equal(fromInbox, stored);
    sender.close();
    receiver.close();
  });
}
