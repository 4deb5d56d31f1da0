// Offline messages: stored when nobody is there, delivered once on the next bind, in
// order, right after bind_success; expired ones never arrive.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverPool } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { TRANSPORTS, bound, connect } from './lib/clients.mjs';

const pool = serverPool();
after(pool.disposeAll);
const server = pool.start;

for (const transport of TRANSPORTS) {
  test(`${transport}: messages to an absent uid arrive on its next bind, in order, once`, async () => {
    const s = await server();
    const p = await freshProject(s);
    const a = await bound(s, { ...p, transport: 'ws' }, 'alice');
    for (const text of ['one', 'two', 'three']) {
      await a.send({ type: 'send', to: 'bob', msg: text });
      const ack = await a.next('send_success');
      assert.equal(ack.offline, true);
      assert.equal(ack.to, 'bob');
    }
    await a.send({ type: 'multicast', to: ['bob'], msg: 'four' });
    assert.deepEqual((await a.next('send_success')).offline, ['bob']);

    const bob = await connect(s, { ...p, transport });
    await bob.send({ type: 'bind', uid: 'bob' });
    assert.equal((await bob.next()).type, 'bind_success');  // first, before the stored ones
    for (const text of ['one', 'two', 'three', 'four']) {
      const m = await bob.next();
      assert.equal(m.type, 'direct');
      assert.equal(m.msg, text);
      assert.equal(m.from, 'alice');
      assert.equal(m.offline, true);
    }
    const again = await connect(s, { ...p, transport: 'ws' });
    await again.send({ type: 'bind', uid: 'bob' });
    await again.next('bind_success');
    await again.expectNone('direct', 200);
    for (const x of [a, bob, again]) x.close();
  });
}

test('an expired offline message never arrives', async () => {
  const s = await server(['--offline-ttl', '1']);
  const p = await freshProject(s);
  const a = await bound(s, { ...p, transport: 'ws' }, 'alice');
  await a.send({ type: 'send', to: 'bob', msg: 'too late' });
  assert.equal((await a.next('send_success')).offline, true);
  await new Promise((r) => setTimeout(r, 1500));  // the TTL is wall-clock time itself
  await a.send({ type: 'send', to: 'bob', msg: 'fresh' });
  await a.next('send_success');
  const bob = await bound(s, { ...p, transport: 'ws' }, 'bob');
  const m = await bob.next('direct');
  assert.equal(m.msg, 'fresh');
  await bob.expectNone((x) => x.type === 'direct' && x.msg === 'too late', 200);
  a.close();
  bob.close();
});

test('a full inbox refuses further messages with inbox_full', async () => {
  const s = await server(['--max-inbox', '2']);
  const p = await freshProject(s);
  const a = await bound(s, { ...p, transport: 'ws' }, 'alice');
  for (let i = 0; i < 2; i++) {
    await a.send({ type: 'send', to: 'bob', msg: i });
    await a.next('send_success');
  }
  await a.send({ type: 'send', to: 'bob', msg: 'overflow' });
  assert.equal((await a.next('error')).code, 'inbox_full');
  a.close();
});
