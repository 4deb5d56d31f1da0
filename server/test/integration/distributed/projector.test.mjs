// The projector role: a consumer group that projects the log into Redis, exactly once,
// whatever happens to it or to Redis. Two gateways and a projector per deployment, each
// on a Redis database of its own. (Run by run-with-kafka.sh.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startProjector, sharedDeployment } from '../lib/server.mjs';
import { freshProject } from '../lib/admin.mjs';
import { bound } from '../lib/clients.mjs';
import { awaitRebuilt, digest, freshRedisUrl, redisClient, until } from '../lib/redis.mjs';

const cleanups = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// A deployment whose gateways never append node.alive after their first one, nor declare
// each other down for the lack of it, so that its log stops growing when its clients stop.
async function deployment() {
  const shared = sharedDeployment(await freshRedisUrl());
  const quiet = ['--node-heartbeat', '3600', '--node-timeout', '7200'];
  const a = await startServer(quiet, shared, 'serve');
  const b = await startServer(quiet, shared, 'serve');
  const projector = await startProjector(shared);
  const redis = await redisClient(shared.redisUrl);
  cleanups.push(() => a.dispose(), () => b.dispose(), () => projector.stop(), () => redis.quit());
  return { shared, a, b, projector, redis };
}

// Messages from alice (on A) to bob (on B) and to uids that are offline, with presence
// changes in between: every kind of projection changes.
async function traffic(d, p, rounds) {
  const alice = await bound(d.a, { ...p, transport: 'ws' }, 'alice');
  for (let i = 0; i < rounds; ++i) {
    const bob = await bound(d.b, { ...p, transport: i % 2 ? 'sse' : 'ws' }, 'bob');
    await alice.send({ type: 'room_join', roomId: `room${i % 3}` });
    await alice.next('room_joined');
    await alice.send({ type: 'send', to: 'bob', msg: { i } });
    await alice.next('send_success');
    await alice.send({ type: 'send', to: `away${i % 4}`, msg: { i } });
    assert.equal((await alice.next('send_success')).offline, true);
    bob.close();
  }
  return alice;
}

// The offsets the projector has written, as a comparable string.
async function offsets(redis, topic) {
  return JSON.stringify(Object.entries(await redis.hGetAll(`wsd:offsets:${topic}`)).sort());
}

// Replays the whole log into a fresh database with a projector of another group, and
// waits until it has applied exactly what `redis` has: then their digests must agree.
async function assertEqualsFreshReplay(d) {
  const replayUrl = await freshRedisUrl();
  const replay = await startProjector(d.shared, { redisUrl: replayUrl, group: `replay-${Date.now()}` });
  const replayRedis = await redisClient(replayUrl);
  cleanups.push(() => replay.stop(), () => replayRedis.quit());
  let theirs, ours;
  await until(async () => {
    const before = await offsets(d.redis, d.shared.topic);
    if (before === '[]' || before !== (await offsets(replayRedis, d.shared.topic))) return false;
    ours = await digest(d.redis);
    theirs = await digest(replayRedis);
    return before === (await offsets(d.redis, d.shared.topic)) && before === (await offsets(replayRedis, d.shared.topic));
  }, 'the replay to catch up with the projector');
  assert.ok(ours.keys > 5, `the projections are in Redis (${ours.keys} keys)`);
  assert.deepEqual(ours.entries, theirs.entries, 'Redis equals a from-scratch replay of the log');
}

test('the projector keeps presence, rooms, inboxes and tokens in Redis', async () => {
  const d = await deployment();
  const p = await freshProject(d.a);
  const alice = await bound(d.a, { ...p, transport: 'ws' }, 'alice');
  await alice.send({ type: 'room_join', roomId: 'lobby' });
  await alice.next('room_joined');
  await alice.send({ type: 'send', to: 'bob', msg: 'see you' });
  await alice.next('send_success');
  const key = (kind) => `wsd:${kind}:{${p.project}}`;
  await until(async () => (await d.redis.sMembers(key('online'))).includes('alice'), 'alice online in Redis');
  assert.ok(await d.redis.hExists(key('tokens'), p.token));
  assert.ok(await d.redis.hExists('wsd:projects', p.project));
  await until(async () => (await d.redis.hGet(key('rooms'), 'lobby')) != null, 'the room in Redis');
  await until(async () => (await d.redis.lLen(`${key('inbox')}:bob`)) === 1, "bob's inbox in Redis");
  const stored = JSON.parse(await d.redis.lIndex(`${key('inbox')}:bob`, 0));
  assert.equal(stored.msg, 'see you');
  assert.ok((await d.redis.pExpireTime(`${key('inbox')}:bob`)) > Date.now(), 'the inbox expires with its newest message');
  // A mail request counts in its token's window as soon as it is applied (no mailer runs
  // here, so the request itself is left unanswered and abandoned).
  const abandoned = new AbortController();
  const mail = fetch(`${d.a.url}/mail?project=${p.project}&token=${p.token}`, {
    method: 'POST', body: JSON.stringify({ to: 'bob@example.com', subject: 'hi' }), signal: abandoned.signal,
  }).catch(() => {});
  await until(async () => (await d.redis.hGet(key('mailwindow'), p.token)) != null, "the token's mail window in Redis");
  assert.equal(JSON.parse(await d.redis.hGet(key('mailwindow'), p.token)).length, 1);
  abandoned.abort();
  await mail;
  alice.close();
  await until(async () => (await d.redis.sMembers(key('online'))).length === 0, 'alice offline in Redis');
});

test('a projector killed mid-traffic and restarted leaves Redis equal to a replay of the log', async () => {
  const d = await deployment();
  const p = await freshProject(d.a);
  const busy = traffic(d, p, 30);
  await until(async () => (await offsets(d.redis, d.shared.topic)) !== '[]', 'the projector to write');
  await d.projector.kill9();
  await d.projector.start();
  (await busy).close();
  await assertEqualsFreshReplay(d);
});

test('after FLUSHALL the projector rebuilds the projections from the log', async () => {
  const d = await deployment();
  const p = await freshProject(d.a);
  (await traffic(d, p, 5)).close();
  await assertEqualsFreshReplay(d);
  const before = await digest(d.redis);
  await d.redis.flushDb();  // this deployment's database: other tests share the server
  await awaitRebuilt(d.redis, before, d.projector);
  assert.deepEqual((await digest(d.redis)).entries, before.entries);
});

test('wsd all with --redis serves clients and projects into Redis in one process', async () => {
  const shared = sharedDeployment(await freshRedisUrl());
  const node = await startServer(['--redis', shared.redisUrl], shared);  // role all
  const redis = await redisClient(shared.redisUrl);
  cleanups.push(() => node.dispose(), () => redis.quit());
  const p = await freshProject(node);
  const alice = await bound(node, { ...p, transport: 'poll' }, 'alice');
  await until(async () => (await redis.sMembers(`wsd:online:{${p.project}}`)).includes('alice'), 'alice online in Redis');
  alice.close();
});
