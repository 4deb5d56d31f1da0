// wslog verify --admin-url against a running wsd: its own projections (GET
// /admin/state-snapshot) compared with a replay of its log up to the position they
// reflect. While clients keep sending, every verify finds them equal; a copy of the log
// that lacks the last records is caught, with the records missing and each key that
// differs named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB = '../../../../server/test/integration/lib';
const { startServer } = await import(`${LIB}/server.mjs`);
const { createProject, issueToken } = await import(`${LIB}/admin.mjs`);
const { bound } = await import(`${LIB}/clients.mjs`);

const WSLOG = process.env.WSLOG_BIN ?? new URL('../../../../build/tools/wslog/wslog', import.meta.url).pathname;
const kafka = Boolean(process.env.WSD_KAFKA_BROKERS);

function wslog(args) {
  return new Promise((resolve) => {
    execFile(WSLOG, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

let server;
let alice;
let bob;
let source;  // wslog's arguments naming the server's log
let live;    // wslog's arguments naming the server itself
let demo;    // the project and a token of it
const work = mkdtempSync(join(tmpdir(), 'wslog-live-'));
const clients = [];

async function snapshot(token = server.adminToken, method = 'GET') {
  const res = await fetch(`${server.url}/admin/state-snapshot`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  server = await startServer(['--offline-ttl', '3600']);
  await createProject(server, 'demo', 'Demo');
  const token = await issueToken(server, 'demo');
  const p = { project: 'demo', token };
  demo = p;
  alice = await bound(server, { ...p, transport: 'ws', name: 'alice' }, 'alice');
  bob = await bound(server, { ...p, transport: 'sse', name: 'bob' }, 'bob');
  clients.push(alice, bob);
  await alice.send({ type: 'room_create', roomId: 'lobby' });
  await alice.next('room_created');
  await alice.send({ type: 'send', to: 'dave', msg: 'kept for dave' });
  assert.equal((await alice.next('send_success')).offline, true);
  const tokenFile = join(work, 'admin-token');
  writeFileSync(tokenFile, `${server.adminToken}\n`);
  live = ['--admin-url', server.url, '--admin-token-file', tokenFile];
  const topic = server.args[server.args.indexOf('--kafka-topic') + 1];
  source = kafka ? ['--kafka-brokers', process.env.WSD_KAFKA_BROKERS, '--kafka-topic', topic]
    : ['--log-dir', join(server.dataDir, 'log')];
});

after(async () => {
  for (const c of clients) c.close();
  await server?.dispose();
  rmSync(work, { recursive: true, force: true });
});

test('the state snapshot answers the admin only, and GET only', async () => {
  const refused = await snapshot('not-the-token');
  assert.equal(refused.status, 401);
  assert.equal(refused.body.code, 'unauthorized');
  const posted = await snapshot(server.adminToken, 'POST');
  assert.equal(posted.status, 405);
  assert.equal(posted.body.code, 'method_not_allowed');
  const ok = await snapshot();
  assert.equal(ok.status, 200);
  assert.equal(ok.body.log, kafka ? server.args[server.args.indexOf('--kafka-topic') + 1] : 'embedded');
  const keys = new Map(ok.body.keys.map((k) => [k.key, k]));
  assert.deepEqual(keys.get('wsd:online:{demo}').value, ['alice', 'bob']);
  assert.equal(JSON.parse(keys.get('wsd:inbox:{demo}:dave').value[0]).msg, 'kept for dave');
  assert.ok(Object.values(ok.body.offsets).reduce((a, b) => a + b, 0) >= ok.body.applied);
});

test('verify finds the live state equal to a replay at its position while messages keep flowing', async () => {
  let sending = true;
  let sent = 0;
  const pump = (async () => {
    while (sending) {
      await alice.send({ type: 'send', to: sent % 2 ? 'bob' : 'erin', msg: `message ${sent}` });
      await alice.next('send_success');
      sent += 1;
    }
  })();
  const positions = [];
  try {
    for (let run = 0; run < 3; run++) {
      const before = sent;
      while (sent < before + 5) await new Promise((r) => setImmediate(r));  // traffic between runs
      const r = await wslog(['verify', ...source, ...live]);
      assert.equal(r.code, 0, `run ${run}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /^no differences: \d+ keys equal, digest sha256:[0-9a-f]{64}$/m);
      positions.push(/at offsets (\S+)/.exec(r.stdout)[1]);
    }
  } finally {
    sending = false;
    await pump;
  }
  assert.equal(new Set(positions).size, 3, `each verify at a later position: ${positions}`);
});

test('verify against a copy of the log that lacks the last records names what is missing', { skip: kafka }, async () => {
  const copy = mkdtempSync(join(tmpdir(), 'wslog-copy-'));
  try {
    cpSync(join(server.dataDir, 'log'), copy, { recursive: true });
    const copied = (await wslog(['export', '--log-dir', copy])).stdout.split('\n').filter(Boolean).length;
    // After the copy: carol comes online, and a message is kept for frank.
    const carol = await bound(server, { ...demo, transport: 'poll', name: 'carol' }, 'carol');
    clients.push(carol);
    await alice.send({ type: 'send', to: 'frank', msg: 'kept for frank' });
    await alice.next('send_success');
    const position = (await snapshot()).body.offsets['0'];

    const r = await wslog(['verify', '--log-dir', copy, ...live]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.ok(r.stdout.includes(`log short: the log: the log read here ends at offset ${copied}, the live state ` +
      `reflects 0..${position - 1} (${position - copied} record(s) missing)`), r.stdout);
    assert.match(r.stdout, /^\+ wsd:online:\{demo\} carol: in wsd, not in the replay: carol$/m);
    assert.match(r.stdout, /^\+ wsd:inbox:\{demo\}:frank: in wsd, not in the replay: .*kept for frank/m);
    assert.match(r.stdout, /^\+ wsd:sessions:\{demo\} [0-9a-f]+: in wsd, not in the replay/m);
    // The whole log still agrees.
    const whole = await wslog(['verify', ...source, ...live]);
    assert.equal(whole.code, 0, whole.stdout + whole.stderr);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('verify with a wrong admin token fails and says why', async () => {
  const wrong = join(work, 'wrong-token');
  writeFileSync(wrong, 'nope\n');
  const r = await wslog(['verify', ...source, '--admin-url', server.url, '--admin-token-file', wrong]);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stderr, /admin\/state-snapshot answered 401: .*unauthorized/);
});
