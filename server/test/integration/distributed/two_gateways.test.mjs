// Two gateways on one Kafka topic behave as one server: messages, presence, offline
// inboxes and revocation cross from one to the other. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sharedDeployment } from '../lib/server.mjs';
import { freshProject, revokeToken } from '../lib/admin.mjs';
import { projectKnownToAll } from '../lib/deployment.mjs';
import { bound, connect } from '../lib/clients.mjs';

let a, b;
before(async () => {
  assert.ok(process.env.WSD_KAFKA_BROKERS, 'needs WSD_KAFKA_BROKERS (run-with-kafka.sh sets it)');
  const deployment = sharedDeployment();
  a = await startServer([], deployment);
  b = await startServer([], deployment);
});
after(async () => Promise.all([a?.dispose(), b?.dispose()]));

const projectOnBoth = () => projectKnownToAll([a, b]);

test('a uid on gateway A messages a uid on gateway B, and back', async () => {
  const p = await projectOnBoth();
  const alice = await bound(a, { ...p, transport: 'ws' }, 'alice');
  const bob = await bound(b, { ...p, transport: 'sse' }, 'bob');
  await alice.send({ type: 'send', to: 'bob', msg: 'across gateways' });
  assert.equal((await bob.next('direct')).msg, 'across gateways');
  assert.equal((await alice.next('send_success')).offline, undefined, 'bob was online, on the other gateway');
  await bob.send({ type: 'send', to: 'alice', msg: 'and back' });
  assert.equal((await alice.next('direct')).msg, 'and back');
  alice.close();
  bob.close();
});

test('presence and list cover both gateways', async () => {
  const p = await projectOnBoth();
  const watcher = await connect(a, { ...p, transport: 'ws' });
  const carol = await bound(b, { ...p, transport: 'ws' }, 'carol');
  assert.equal((await watcher.next('online')).uid, 'carol');
  await watcher.send({ type: 'list' });
  assert.deepEqual((await watcher.next('list')).uids, ['carol']);
  carol.close();
  assert.equal((await watcher.next('offline')).uid, 'carol');
  watcher.close();
});

test('a message stored through A is delivered when the uid binds on B', async () => {
  const p = await projectOnBoth();
  const alice = await bound(a, { ...p, transport: 'ws' }, 'alice');
  await alice.send({ type: 'send', to: 'dave', msg: 'later' });
  assert.equal((await alice.next('send_success')).offline, true);
  const dave = await bound(b, { ...p, transport: 'poll' }, 'dave');
  const m = await dave.next('direct');
  assert.equal(m.msg, 'later');
  assert.equal(m.offline, true);
  alice.close();
  dave.close();
});

test('revoking a token through A closes its connections on B', async () => {
  const p = await projectOnBoth();
  const onB = await connect(b, { ...p, transport: 'ws' });
  assert.equal((await revokeToken(a, p.project, p.token)).status, 200);
  assert.equal((await onB.closed).code, 1008);
});

test('signaling crosses gateways', async () => {
  const p = await projectOnBoth();
  const caller = await bound(a, { ...p, transport: 'ws' }, 'caller');
  const callee = await bound(b, { ...p, transport: 'ws' }, 'callee');
  await caller.send({ type: 'room_join', roomId: 'call' });
  await caller.next('room_joined');
  await callee.send({ type: 'room_join', roomId: 'call' });
  await callee.next('room_joined');
  await caller.send({ type: 'webrtc_offer', roomId: 'call', to: 'callee', sdp: { type: 'offer', sdp: 'v=0' } });
  const offer = await callee.next('webrtc_offer');
  assert.equal(offer.from, 'caller');
  assert.deepEqual(offer.sdp, { type: 'offer', sdp: 'v=0' });
  caller.close();
  callee.close();
});

test('when a gateway is SIGKILLed, its uids go offline for everyone and messages to them are stored', async () => {
  const deployment = sharedDeployment();
  // Quick, with room for a busy machine: a live gateway misses seven heartbeats before it
  // would be declared down.
  const quick = ['--node-heartbeat', '0.5', '--node-timeout', '4'];
  const survivor = await startServer(quick, deployment);
  const doomed = await startServer(quick, deployment);
  try {
    const p = await freshProject(survivor);
    const alice = await bound(survivor, { ...p, transport: 'ws' }, 'alice');
    let bob;
    const deadline = Date.now() + 10000;
    while (!bob && Date.now() < deadline) {  // until the doomed gateway knows the project
      bob = await bound(doomed, { ...p, transport: 'ws' }, 'bob').catch(() => null);
      if (!bob) await new Promise((r) => setTimeout(r, 50));  // a retry interval
    }
    assert.equal((await alice.next('online')).uid, 'bob');
    await doomed.kill9();
    assert.equal((await alice.next('offline', 10000)).uid, 'bob');
    await alice.send({ type: 'send', to: 'bob', msg: 'for later' });
    assert.equal((await alice.next('send_success')).offline, true);
    alice.close();
  } finally {
    await Promise.all([survivor.dispose(), doomed.dispose()]);
  }
});

test('a second gateway started under the same node id stops the first, and its clients are served by the second', { timeout: 60000 }, async () => {
  const deployment = sharedDeployment();
  const twin = ['--node-id', 'twin'];  // as two gateways on copies of one data directory
  const first = await startServer(twin, deployment);
  let second;
  try {
    const p = await freshProject(first);
    const alice = await bound(first, { ...p, transport: 'ws' }, 'alice');
    second = await startServer(twin, deployment);
    assert.equal((await first.exited()).code, 2, 'exit status 2: the configuration must change');
    assert.match(first.stderr(), /another gateway started as node twin .*this one stops/);
    await alice.closed;
    assert.ok(second.alive(), 'the later start wins');
    const watcher = await connect(second, { ...p, transport: 'ws' });
    const again = await bound(second, { ...p, transport: 'ws' }, 'alice');
    await watcher.send({ type: 'list' });
    assert.deepEqual((await watcher.next('list')).uids, ['alice']);
    for (const c of [watcher, again]) c.close();
  } finally {
    await Promise.all([first.dispose(), second?.dispose()]);
  }
});
