// Reading a deployment's Redis in tests: a database of its own per deployment, a digest
// of every projection key (to compare two Redis states), and waiting for a condition.
import { createClient } from 'redis';
import { createHash } from 'node:crypto';

export async function redisClient(url) {
  const client = createClient({ url });
  client.on('error', () => {});  // a restarted or flushed server is part of some tests
  await client.connect();
  return client;
}

// A database no other test uses, on the Redis that WSD_REDIS_URL names (db 0 counts).
export async function freshRedisUrl(base = process.env.WSD_REDIS_URL) {
  if (!base) throw new Error('needs WSD_REDIS_URL (run-with-kafka.sh sets it)');
  const counter = await redisClient(`${base}/0`);
  const n = await counter.incr('wsd-test:databases-used');
  await counter.quit();
  if (n > 255) throw new Error('out of Redis databases');
  return `${base}/${n}`;
}

// Every projection key with its type, value and expiry, canonically ordered, and their
// hash. Left out: the epoch (it names a rebuild, not a state) and what gateways keep for
// polling sessions (not a projection of the log).
export async function digest(client) {
  const keys = [];
  for await (const key of client.scanIterator({ MATCH: 'wsd:*', COUNT: 1000 })) keys.push(key);
  keys.sort();
  const entries = [];
  for (const key of keys) {
    if (key === 'wsd:epoch' || key.startsWith('wsd:poll:') || key.startsWith('wsd:poll-seen:')) continue;
    const type = await client.type(key);
    let value;
    if (type === 'hash') value = Object.entries(await client.hGetAll(key)).sort();
    else if (type === 'set') value = (await client.sMembers(key)).sort();
    else if (type === 'list') value = await client.lRange(key, 0, -1);
    else value = await client.get(key);
    const expiresAt = await client.sendCommand(['PEXPIRETIME', key]);
    entries.push([key, type, value, expiresAt]);
  }
  return { keys: entries.length, hash: createHash('sha256').update(JSON.stringify(entries)).digest('hex'), entries };
}

// Polls `check` (an async predicate) until it holds; fails with `what` after `timeoutMs`.
export async function until(check, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));  // a polling interval, not a wait for something
  }
}

// Waits until the projection in `client` digests as `before` again (after a flush, the
// projector rebuilds it from the log). A timeout names the keys that differ and shows the
// end of the projector's log, so a failure says what the rebuild got wrong.
export async function awaitRebuilt(client, before, projector) {
  let now = { entries: [] };
  try {
    await until(async () => (now = await digest(client)).hash === before.hash, 'the projector to rebuild Redis');
  } catch (error) {
    const text = (entries) => new Map(entries.map((entry) => [entry[0], JSON.stringify(entry)]));
    const [was, is] = [text(before.entries), text(now.entries)];
    const differ = [...new Set([...was.keys(), ...is.keys()])].filter((key) => was.get(key) !== is.get(key));
    error.message += `\nkeys that differ: ${differ.join(', ') || 'none'}\nprojector log:\n${projector.stderr().slice(-4000)}`;
    throw error;
  }
}
