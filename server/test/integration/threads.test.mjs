// The threads a serving process runs, by the names it gives them (/proc/PID/task/*/comm),
// against the list in docs/architecture.md ("Threads"): one loop serves the clients and
// the backends together, so no second event loop thread may appear beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launch } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';
import { freshRedisUrl } from './lib/redis.mjs';

const ARCHITECTURE = new URL('../../../docs/architecture.md', import.meta.url);

// The thread names the "Threads" section of docs/architecture.md lists (`wsd-…`, `rdk:…`).
function documentedThreadNames() {
  const doc = readFileSync(ARCHITECTURE, 'utf8');
  const section = doc.slice(doc.indexOf('\n## Threads'), doc.indexOf('\n## ', doc.indexOf('\n## Threads') + 1));
  return new Set([...section.matchAll(/`(wsd(?:-[a-z]+)?|rdk:[a-z]+)`/g)].map((m) => m[1]));
}

const threadNames = (pid) =>
  readdirSync(`/proc/${pid}/task`).map((tid) => readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim()).sort();

// A wsd of its own (never a deployment of several), started with `argv` after the role.
async function startWsd(role, argv) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-test-'));
  const adminToken = randomBytes(16).toString('hex');
  const run = launch([role, '--listen', '127.0.0.1:0', '--admin-token', adminToken, '--data-dir', dataDir, ...argv]);
  const port = Number(await run.ready);
  return {
    proc: run.proc,
    adminToken,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    dispose: async () => {
      run.proc.kill('SIGTERM');
      await run.exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Traffic first: a thread started on first use would otherwise be missed.
async function exchangeOneMessage(server) {
  const p = await freshProject(server);
  const alice = await bound(server, { ...p, name: 'alice' }, 'alice');
  const bob = await bound(server, { ...p, name: 'bob' }, 'bob');
  await alice.send({ type: 'send', to: 'bob', msg: 'threads' });
  assert.equal((await bob.next('direct')).msg, 'threads');
  await alice.next('send_success');
  alice.close();
  bob.close();
}

async function checkThreads(role, argv, expected, { librdkafka = false } = {}) {
  const server = await startWsd(role, argv);
  try {
    await exchangeOneMessage(server);
    const names = threadNames(server.proc.pid);
    const ours = names.filter((n) => !n.startsWith('rdk:'));
    assert.deepEqual(ours, [...expected].sort(), `threads of wsd ${role} ${argv.join(' ')}: ${names.join(', ')}`);
    if (librdkafka) assert.ok(names.some((n) => n.startsWith('rdk:')), `librdkafka's threads: ${names.join(', ')}`);
    const documented = documentedThreadNames();
    for (const name of new Set(names.map((n) => (n.startsWith('rdk:') ? n.replace(/[^a-z:].*$/, '') : n)))) {
      const listed = documented.has(name) || (name.startsWith('rdk:') && [...documented].some((d) => d.startsWith('rdk:')));
      assert.ok(listed, `thread ${name} is not in docs/architecture.md's list: ${[...documented].join(', ')}`);
    }
  } finally {
    await server.dispose();
  }
}

test('wsd all on the embedded log: one loop on the main thread, the fsync thread, the mailer and the webhook sender', async () => {
  await checkThreads('all', [], ['wsd', 'wsd-fsync', 'wsd-mailer', 'wsd-webhooks']);
});

test('wsd all with --fsync always: the fsync thread beside them', async () => {
  await checkThreads('all', ['--fsync', 'always'], ['wsd', 'wsd-fsync', 'wsd-mailer', 'wsd-webhooks']);
});

test('wsd all with --fsync never: no fsync thread', async () => {
  await checkThreads('all', ['--fsync', 'never'], ['wsd', 'wsd-mailer', 'wsd-webhooks']);
});

const brokers = process.env.WSD_KAFKA_BROKERS;
const redisUrl = process.env.WSD_REDIS_URL;
const distributed = { skip: !(brokers && redisUrl) && 'needs WSD_KAFKA_BROKERS and WSD_REDIS_URL (run-with-kafka.sh)' };

test('wsd serve on Kafka and Redis: the one loop and librdkafka\'s own threads', distributed, async () => {
  const topic = `wsd-test-${randomBytes(6).toString('hex')}`;
  await checkThreads('serve', ['--kafka-brokers', brokers, '--kafka-topic', topic, '--redis', await freshRedisUrl()], ['wsd'], {
    librdkafka: true,
  });
});

test('wsd all on Kafka, projecting into Redis: the projector shares the loop too', distributed, async () => {
  const topic = `wsd-test-${randomBytes(6).toString('hex')}`;
  await checkThreads(
    'all',
    ['--kafka-brokers', brokers, '--kafka-topic', topic, '--redis', await freshRedisUrl(), '--projector-group', `g-${topic}`],
    ['wsd', 'wsd-mailer', 'wsd-webhooks'],
    { librdkafka: true },
  );
});
