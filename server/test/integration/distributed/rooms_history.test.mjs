// Room messages across a distributed deployment: concurrent senders on two gateways are
// seen in one order by every member, and the room streams in Redis (offsets, epochs,
// retained messages) are a projection of the log: a flushed Redis is rebuilt to the same
// keys, and a from-scratch replay agrees. (Run by run-with-kafka.sh.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startProjector, sharedDeployment } from '../lib/server.mjs';
import { projectKnownToAll } from '../lib/deployment.mjs';
import { bound } from '../lib/clients.mjs';
import { awaitRebuilt, digest, freshRedisUrl, redisClient, until } from '../lib/redis.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function deployment() {
  assert.ok(process.env.WSD_KAFKA_BROKERS, 'needs WSD_KAFKA_BROKERS (run-with-kafka.sh sets it)');
  const shared = sharedDeployment(await freshRedisUrl());
  // The log stops growing when the clients stop: no heartbeats, and no gateway declared
  // down for the lack of them.
  const quiet = ['--node-heartbeat', '3600', '--node-timeout', '7200'];
  const a = await startServer(quiet, shared, 'serve');
  const b = await startServer(quiet, shared, 'serve');
  const projector = await startProjector(shared);
  const redis = await redisClient(shared.redisUrl);
  cleanups.push(() => a.dispose(), () => b.dispose(), () => projector.stop(), () => redis.quit());
  return { shared, a, b, projector, redis };
}

async function joined(client, roomId) {
  await client.send({ type: 'room_join', roomId });
  return client.next('room_joined');
}

async function roomMessages(client, count) {
  const got = [];
  for (let i = 0; i < count; ++i) got.push(await client.next('room_message'));
  return got;
}

test('concurrent senders on two gateways: every member sees the same order, offsets 1..N', async () => {
  const d = await deployment();
  const p = await projectKnownToAll([d.a, d.b]);
  const senderA = await bound(d.a, { ...p, transport: 'ws' }, 'sender-a');
  const senderB = await bound(d.b, { ...p, transport: 'ws' }, 'sender-b');
  const readerA = await bound(d.a, { ...p, transport: 'ws' }, 'reader-a');
  const readerB = await bound(d.b, { ...p, transport: 'sse' }, 'reader-b');
  for (const c of [senderA, senderB, readerA, readerB]) await joined(c, 'race');
  const burst = (client, tag) => Promise.all(Array.from({ length: 10 }, (_, i) =>
    client.send({ type: 'room_send', roomId: 'race', msg: { tag, i } })));
  await Promise.all([burst(senderA, 'a'), burst(senderB, 'b')]);
  const onA = await roomMessages(readerA, 20);
  const onB = await roomMessages(readerB, 20);
  assert.deepEqual(onA.map((m) => m.offset), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.deepEqual(onB.map((m) => m.id), onA.map((m) => m.id), 'one order on both gateways');
  assert.deepEqual(onB.map((m) => m.offset), onA.map((m) => m.offset));
  assert.equal(new Set(onA.map((m) => m.epoch)).size, 1);
  // Each sender sees the other's ten, in that same order.
  const othersOfA = onA.filter((m) => m.msg.tag === 'b').map((m) => m.id);
  assert.deepEqual((await roomMessages(senderA, 10)).map((m) => m.id), othersOfA);
  for (const c of [senderA, senderB, readerA, readerB]) c.close();
});

test('Redis flushed: the projector rebuilds the same room offsets, epochs and histories from the log', async () => {
  const d = await deployment();
  const p = await projectKnownToAll([d.a, d.b]);
  const alice = await bound(d.a, { ...p, transport: 'ws' }, 'alice');
  const bob = await bound(d.b, { ...p, transport: 'ws' }, 'bob');
  let epoch;
  for (const room of ['r1', 'r2']) {
    await joined(alice, room);
    await joined(bob, room);
    for (let i = 1; i <= 4; ++i) {
      await (i % 2 ? alice : bob).send({ type: 'room_send', roomId: room, msg: { room, i } });
      const success = await (i % 2 ? alice : bob).next('room_send_success');
      assert.equal(success.offset, i);
      if (room === 'r1') epoch = success.epoch;
    }
  }
  alice.close();
  bob.close();
  const streamsKey = `wsd:roomstreams:{${p.project}}`;
  await until(async () => (await d.redis.hGet(streamsKey, 'r2')) !== null &&
    JSON.parse(await d.redis.hGet(streamsKey, 'r2')).offset === 4, 'the projector to write the room streams');
  assert.deepEqual(JSON.parse(await d.redis.hGet(streamsKey, 'r1')), { offset: 4, epoch });
  const history = (await d.redis.lRange(`wsd:roomhistory:{${p.project}}:r1`, 0, -1)).map((m) => JSON.parse(m));
  assert.deepEqual(history.map((m) => [m.offset, m.msg.i]), [[1, 1], [2, 2], [3, 3], [4, 4]]);
  assert.equal(history[0].id, epoch, 'the epoch is the first message\'s id');

  // A from-scratch replay into another database agrees key for key once both caught up
  // with the log (the gateways append nothing more: no heartbeats, no clients).
  const replayUrl = await freshRedisUrl();
  const replay = await startProjector(d.shared, { redisUrl: replayUrl, group: `replay-${Date.now()}` });
  const replayRedis = await redisClient(replayUrl);
  cleanups.push(() => replay.stop(), () => replayRedis.quit());
  let before;
  await until(async () => {
    before = await digest(d.redis);
    return before.hash === (await digest(replayRedis)).hash && before.hash === (await digest(d.redis)).hash;
  }, 'the replay to equal the projection');
  assert.ok(before.entries.some(([key]) => key === `wsd:roomhistory:{${p.project}}:r2`));

  await d.redis.flushDb();  // this deployment's database: other tests share the server
  await awaitRebuilt(d.redis, before, d.projector);
  assert.deepEqual((await digest(d.redis)).entries, before.entries);
  assert.deepEqual(JSON.parse(await d.redis.hGet(streamsKey, 'r1')), { offset: 4, epoch });
});
