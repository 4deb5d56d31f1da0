// No sticky sessions: behind a round-robin load balancer, every request of an SSE or a
// long-polling client may reach a different gateway, and the client works as on one
// server. The gateways share those sessions' state through Redis. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { bound, connect } from '../lib/clients.mjs';
import { revokeToken } from '../lib/admin.mjs';
import { projectKnownToAll, roundRobin, startDeployment } from '../lib/deployment.mjs';

let d, a, b;
before(async () => {
  d = await startDeployment({ gatewayArgs: ['--poll-timeout', '1', '--poll-session-timeout', '3'] });
  [a, b] = d.gateways;
});
after(() => d?.dispose());

for (const transport of ['poll', 'sse']) {
  test(`a ${transport} client whose requests alternate between gateways works as on one server`, async () => {
    const p = await projectKnownToAll([a, b]);
    const lb = roundRobin([a, b]);
    const alice = await bound(lb, { ...p, transport }, 'alice');
    const bob = await bound(a, { ...p, transport: 'ws' }, 'bob');
    assert.equal((await alice.next('online')).uid, 'bob');
    for (let i = 0; i < 6; ++i) {  // requests land on A, B, A, B...
      await alice.send({ type: 'send', to: 'bob', msg: { i } });
      assert.deepEqual((await bob.next('direct')).msg, { i });
      assert.equal((await alice.next('send_success')).to, 'bob');
      await bob.send({ type: 'send', to: 'alice', msg: { back: i } });
      assert.deepEqual((await alice.next('direct')).msg, { back: i });
    }
    await alice.send({ type: 'list' });
    assert.deepEqual((await alice.next('list')).uids.sort(), ['alice', 'bob']);
    await alice.send({ type: 'room_join', roomId: 'r' });
    assert.equal((await alice.next('room_joined')).roomId, 'r');
    alice.close();
    bob.close();
  });

  test(`a protocol error answered by the gateway not holding a ${transport} session reaches the client`, async () => {
    const p = await projectKnownToAll([a, b]);
    const client = await connect(roundRobin([a, b]), { ...p, transport });
    for (let i = 0; i < 2; ++i) {  // one POST on each gateway
      await client.send({ type: 'no_such_type' });
      assert.equal((await client.next('error')).code, 'unknown_type');
    }
    await client.send({ type: 'send', to: 'x', msg: 'before bind' });
    assert.equal((await client.next('error')).code, 'not_bound');
    client.close();
  });
}

test('a bind sent through one gateway holds for messages sent through the other', async () => {
  const p = await projectKnownToAll([a, b]);
  const client = await connect(roundRobin([a, b]), { ...p, transport: 'poll' });
  await client.send({ type: 'bind', uid: 'carol' });  // reaches one gateway
  await client.next('bind_success');
  await client.send({ type: 'send', to: 'carol', msg: 'to myself' });  // the other
  assert.equal((await client.next('direct')).msg, 'to myself');
  client.close();
});

// The client has bind_success from the holder as soon as the holder applied the bind; the
// other gateway may read it from the log a few milliseconds later. A message that needs
// the uid and reaches that gateway first waits for the bind instead of failing not_bound.
for (const transport of ['poll', 'sse']) {
  test(`a ${transport} message sent through the other gateway right after bind_success is never not_bound`, async () => {
    const p = await projectKnownToAll([a, b]);
    for (let round = 0; round < 25; ++round) {
      const lb = { target: a, get url() { return this.target.url; } };
      const client = await connect(lb, { ...p, transport });
      await client.send({ type: 'bind', uid: `erin${round}` });
      await client.next('bind_success');
      lb.target = b;
      await client.send({ type: 'send', to: 'nobody', msg: round });
      const answer = await client.next((m) => m.type === 'send_success' || m.type === 'error');
      assert.deepEqual([answer.type, answer.to, answer.offline], ['send_success', 'nobody', true], `round ${round}`);
      client.close();
    }
  });
}

test('a polling session stays alive while its GETs all go to the gateway that does not hold it', async () => {
  const p = await projectKnownToAll([a, b]);
  // Created on A (the first request); every later request goes to B.
  let first = true;
  const lb = {
    get url() {
      const url = first ? a.url : b.url;
      first = false;
      return url;
    },
  };
  const client = await bound(lb, { ...p, transport: 'poll' }, 'dora');
  const watcher = await bound(b, { ...p, transport: 'ws' }, 'watcher');
  // Longer than A's session timeout (3 s) without a GET reaching A.
  await new Promise((r) => setTimeout(r, 4500));  // the time a session timeout needs, not a synchronization
  await watcher.send({ type: 'send', to: 'dora', msg: 'still there?' });
  assert.equal((await client.next('direct')).msg, 'still there?');
  assert.equal((await watcher.next('send_success')).offline, undefined, 'dora never went offline');
  client.close();
  watcher.close();
});

test('a GET held on the other gateway keeps its session alive past a session timeout shorter than the poll timeout', async () => {
  const short = await startDeployment({ gatewayArgs: ['--poll-timeout', '3', '--poll-session-timeout', '1'] });
  try {
    const [holder, other] = short.gateways;
    const p = await projectKnownToAll([holder, other]);
    const opened = await (await fetch(`${holder.url}/poll?project=${p.project}&token=${p.token}`)).json();
    const session = `project=${p.project}&token=${p.token}&connId=${opened[0].connId}`;
    const proof = { 'wsd-session-secret': opened[0].secret };
    // Held on `other` for the whole poll timeout: three session timeouts of the holder.
    const held = await fetch(`${other.url}/poll?${session}`, { headers: proof });
    assert.equal(held.status, 200, 'the held GET ends with [], not with its session');
    assert.deepEqual(await held.json(), []);
    const post = await fetch(`${holder.url}/poll?${session}`, {
      method: 'POST', headers: proof, body: JSON.stringify({ type: 'list' }),
    });
    assert.equal(post.status, 200);
    const next = await (await fetch(`${other.url}/poll?${session}`, { headers: proof })).json();
    assert.equal(next[0].type, 'list');
  } finally {
    await short.dispose();
  }
});

test('a polling session nobody polls ends, and its uid goes offline', async () => {
  const p = await projectKnownToAll([a, b]);
  const watcher = await bound(b, { ...p, transport: 'ws' }, 'watcher');
  const client = await bound(roundRobin([a, b]), { ...p, transport: 'poll' }, 'eve');
  assert.equal((await watcher.next('online')).uid, 'eve');
  client.close();  // stops polling
  assert.equal((await watcher.next('offline', 10000)).uid, 'eve');
  watcher.close();
});

test('a polling session closed by its holder hands its final message out on whichever gateway', async () => {
  const p = await projectKnownToAll([a, b]);
  const client = await bound(roundRobin([a, b]), { ...p, transport: 'poll' }, 'fred');
  assert.equal((await revokeToken(b, p.project, p.token)).status, 200);
  assert.deepEqual(await client.closed, { code: 1008, reason: 'token_revoked' });
});
