// wslog against a real wsd: traffic of every kind goes through a running server (real
// clients over WebSocket, SSE and long polling, the admin API, POST /mail to a real SMTP
// server); then wslog reads the log it left and must tell the same story:
//   * export round-trips every event type present, each line valid against its schema;
//   * replaying the same log twice gives the same digest;
//   * replay "as of" the moment a client was told who is online gives that online list;
//   * verify finds a Redis projection equal to the log, and reports a planted difference.
// With WSD_KAFKA_BROKERS set (run.sh kafka) the log is a Kafka topic and the Redis
// projection is the one wsd itself keeps (`wsd all --redis`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB = '../../../../server/test/integration/lib';
const { startServer } = await import(`${LIB}/server.mjs`);
const { createProject, issueToken, revokeToken, patchToken, deleteProject } = await import(`${LIB}/admin.mjs`);
const { connect, bound } = await import(`${LIB}/clients.mjs`);
const { startSmtpSink, postMail } = await import(`${LIB}/smtp.mjs`);
const { assertValid } = await import(`${LIB}/schemas.mjs`);
const { readEvents } = await import(`${LIB}/eventlog.mjs`);
const { freshRedisUrl } = await import(`${LIB}/redis.mjs`);

const WSLOG = process.env.WSLOG_BIN ?? new URL('../../../../build/tools/wslog/wslog', import.meta.url).pathname;
const kafka = Boolean(process.env.WSD_KAFKA_BROKERS);

// Runs wslog; resolves with {code, stdout, stderr} whatever the exit status.
function wslog(args) {
  return new Promise((resolve) => {
    execFile(WSLOG, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

async function wslogOk(args) {
  const r = await wslog(args);
  assert.equal(r.code, 0, `wslog ${args.join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

function redisCli(url, ...args) {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', ['-u', url, ...args], (error, stdout) => (error ? reject(error) : resolve(stdout.trim())));
  });
}

// The next millisecond of the clock wsd and this process share: an action taken after it
// gets a later ts than everything the server has answered so far.
async function nextMillisecond() {
  const now = Date.now();
  while (Date.now() <= now) await new Promise((r) => setImmediate(r));
}

const offerSdp = { type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n' };
const answerSdp = { type: 'answer', sdp: 'v=0\r\no=- 7614219264379 2 IN IP4 127.0.0.1\r\n' };
const candidate = { candidate: 'candidate:842163049 1 udp 1677729535 192.0.2.1 52487 typ srflx', sdpMLineIndex: 0 };

let server;
let sink;
let source;  // wslog's arguments naming the log
let liveRedis;  // kafka: the database wsd projected into
const seen = { lists: [] };  // what clients were told, to compare with replays
const work = mkdtempSync(join(tmpdir(), 'wslog-test-'));

// Every kind of traffic; returns when the server has stopped and its log is complete.
async function generateTraffic() {
  sink = await startSmtpSink();
  const extra = ['--smtp-url', sink.url, '--mail-limit', '2', '--mail-window', '60', '--offline-ttl', '3600'];
  if (kafka) {
    liveRedis = await freshRedisUrl();
    extra.push('--redis', liveRedis);
  }
  server = await startServer(extra);
  await createProject(server, 'demo', 'Demo');
  const token = await issueToken(server, 'demo');
  const spare = await issueToken(server, 'demo');
  await createProject(server, 'other', 'Other');
  const otherToken = await issueToken(server, 'other');
  const p = { project: 'demo', token };

  // bob's connection is the one that ends (a WebSocket ends at once; SSE and polling
  // sessions wait for their client to come back first).
  const alice = await bound(server, { ...p, transport: 'sse', name: 'alice' }, 'alice');
  const bob = await bound(server, { ...p, transport: 'ws', name: 'bob' }, 'bob');
  await alice.next((m) => m.type === 'online' && m.uid === 'bob');
  await alice.send({ type: 'list' });
  seen.lists.push({ conn: alice.connId, uids: (await alice.next('list')).uids });
  await nextMillisecond();

  await alice.send({ type: 'send', to: 'bob', msg: { text: 'hi bob' } });
  await alice.next('send_success');
  await bob.next('direct');
  await alice.send({ type: 'send', to: 'dave', msg: 'stored for later, "quoted", with a comma' });
  assert.equal((await alice.next('send_success')).offline, true);
  const carol = await bound(server, { ...p, transport: 'poll', name: 'carol' }, 'carol');
  await carol.send({ type: 'multicast', to: ['alice', 'bob', 'erin'], msg: 'to several' });
  await carol.next('send_success');
  await bob.send({ type: 'broadcast', msg: { news: 'to everyone' } });
  await bob.next('broadcast');
  await alice.send({ type: 'online', uid: 'bob' });
  await alice.next('online_result');

  // A call: create, join, offer, answer, ICE both ways, leave.
  await alice.send({ type: 'room_create', roomId: 'call-1' });
  await alice.next('room_created');
  await bob.send({ type: 'room_join', roomId: 'call-1' });
  await bob.next('room_joined');
  await alice.send({ type: 'webrtc_offer', roomId: 'call-1', to: 'bob', sdp: offerSdp });
  await bob.next('webrtc_offer');
  await bob.send({ type: 'webrtc_answer', roomId: 'call-1', to: 'alice', sdp: answerSdp });
  await alice.next('webrtc_answer');
  await alice.send({ type: 'webrtc_ice', roomId: 'call-1', to: 'bob', candidate });
  await bob.next('webrtc_ice');
  await bob.send({ type: 'webrtc_ice', roomId: 'call-1', to: 'carol', candidate: null });
  await bob.next('error');  // carol is not in the room: the timeline must say so
  await bob.send({ type: 'room_leave', roomId: 'call-1' });
  await bob.next('room_left');

  // Mail: two within the limit of 2 (sent), one refused, one the relay cannot take.
  const mail = { to: 'user@example.com', subject: 'hello', text: 'hi' };
  assert.equal((await postMail(server, p, mail)).status, 200);
  assert.equal((await postMail(server, p, mail)).status, 200);
  assert.equal((await postMail(server, p, mail)).status, 429);
  await sink.stop();
  const spareMail = await postMail(server, { project: 'demo', token: spare }, mail);
  assert.equal(spareMail.status, 502, JSON.stringify(spareMail.body));

  // Admin changes, a connection ending, and bob going offline as alice watches.
  await patchToken(server, 'demo', spare, Date.now() + 3_600_000);
  const doomed = await connect(server, { project: 'other', token: otherToken });
  await revokeToken(server, 'other', otherToken);
  await doomed.closed;
  await deleteProject(server, 'other');
  bob.close();
  await alice.next((m) => m.type === 'offline' && m.uid === 'bob');
  await alice.send({ type: 'list' });
  seen.lists.push({ conn: alice.connId, uids: (await alice.next('list')).uids });
  await nextMillisecond();

  // A restart (node.start ends the sessions of before); dave then collects his message.
  // ops watches dave come and go, so the server stops only after dave's end is logged.
  await server.restart();
  const ops = await bound(server, { ...p, transport: 'ws', name: 'ops' }, 'ops');
  const dave = await bound(server, { ...p, transport: 'ws', name: 'dave' }, 'dave');
  assert.equal((await dave.next('direct')).offline, true);
  dave.close();
  await ops.next((m) => m.type === 'offline' && m.uid === 'dave');
  await server.stop();
  ops.close();
  for (const c of [alice, carol]) c.close();
}

before(async () => {
  await generateTraffic();
  const topic = server.args[server.args.indexOf('--kafka-topic') + 1];
  source = kafka ? ['--kafka-brokers', process.env.WSD_KAFKA_BROKERS, '--kafka-topic', topic]
    : ['--log-dir', join(server.dataDir, 'log')];
});

// WSLOG_TEST_KEEP=1 keeps the server's data dir (its log) for a look afterwards.
after(async () => {
  await sink?.stop();
  if (process.env.WSLOG_TEST_KEEP) console.log(`kept ${server?.dataDir}`);
  else await server?.dispose();
  rmSync(work, { recursive: true, force: true });
});

async function exportJsonl(extra = []) {
  const out = await wslogOk(['export', ...source, ...extra]);
  return out.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

test('export round-trips every event type present, each line valid against its schema', async () => {
  const events = await exportJsonl();
  const types = new Set(events.map((e) => e.type));
  for (const e of events) {
    assertValid('events/envelope', e);
    assertValid(`events/${e.type}`, e);
  }
  const generated = ['node.start', 'project.create', 'project.delete', 'token.issue', 'token.revoke', 'token.update',
    'conn.open', 'conn.close', 'uid.bind', 'message.direct', 'message.multicast', 'message.broadcast', 'query.list',
    'query.online', 'room.create', 'room.join', 'room.leave', 'signal.offer', 'signal.answer', 'signal.ice',
    'mail.request', 'mail.accepted', 'mail.rejected', 'mail.sent', 'mail.failed'];
  for (const type of generated) assert.ok(types.has(type), `no ${type} in the export; it has ${[...types]}`);
  if (!kafka) {
    // The embedded log read independently (lib/eventlog.mjs): the same events, in order.
    assert.deepEqual(events, readEvents(server.dataDir));
  }
});

test('export as CSV has one row per event with the data as JSON', async () => {
  const jsonl = await exportJsonl();
  const csv = await wslogOk(['export', ...source, '--format', 'csv']);
  const rows = parseCsv(csv);
  assert.deepEqual(rows[0], ['partition', 'offset', 'id', 'ts', 'time', 'project', 'node', 'conn', 'type', 'data']);
  assert.equal(rows.length - 1, jsonl.length);
  const byId = new Map(jsonl.map((e) => [e.id, e]));
  for (const row of rows.slice(1)) {
    const e = byId.get(row[2]);
    assert.ok(e, `row ${row} names no exported event`);
    assert.deepEqual([Number(row[3]), row[5], row[6], row[7], row[8]], [e.ts, e.project, e.node, e.conn, e.type]);
    assert.equal(new Date(row[4]).getTime(), e.ts);
    assert.deepEqual(JSON.parse(row[9]), e.data);
  }
});

// Read back with pyarrow (the python WSLOG_PYTHON names, as run.sh sets it up): the
// schema, then every row against the JSON Lines export.
const PYTHON = process.env.WSLOG_PYTHON ?? 'python3';
const READ_PARQUET = `
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
rows = t.to_pylist()
for r in rows:
    r["time"] = r["time"].isoformat()
print(json.dumps({"schema": {f.name: str(f.type) for f in t.schema}, "rows": rows}))
`;

test('export as Parquet has typed columns, times as timestamps, and every event', async () => {
  const jsonl = await exportJsonl();
  const file = join(work, 'events.parquet');
  await wslogOk(['export', ...source, '--format', 'parquet', '--output', file, '--python', PYTHON]);
  const read = await new Promise((resolve, reject) => {
    execFile(PYTHON, ['-c', READ_PARQUET, file], { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      (error ? reject(new Error(stderr)) : resolve(JSON.parse(stdout))));
  });
  assert.deepEqual(read.schema, {
    partition: 'int32', offset: 'int64', id: 'string', ts: 'int64', time: 'timestamp[ms, tz=UTC]',
    project: 'string', node: 'string', conn: 'string', type: 'string', data: 'string',
  });
  assert.equal(read.rows.length, jsonl.length);
  const byId = new Map(jsonl.map((e) => [e.id, e]));
  for (const row of read.rows) {
    const e = byId.get(row.id);
    assert.ok(e, `row ${row.id} names no exported event`);
    assert.deepEqual([row.ts, row.project, row.node, row.conn, row.type], [e.ts, e.project, e.node, e.conn, e.type]);
    assert.equal(new Date(row.time).getTime(), e.ts);
    assert.deepEqual(JSON.parse(row.data), e.data);
  }
  // The stored message with a comma and quotes came through intact.
  const stored = read.rows.find((r) => r.type === 'message.direct' && JSON.parse(r.data).to === 'dave');
  assert.equal(JSON.parse(stored.data).msg, 'stored for later, "quoted", with a comma');
});

test('export --format parquet without --output, or with a python lacking pyarrow, fails and says why', async () => {
  const noFile = await wslog(['export', ...source, '--format', 'parquet']);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /--format parquet writes a file: add --output FILE.parquet/);
  // A python on which pyarrow cannot be imported (the module blocked before the script runs).
  const bare = join(work, 'python-without-pyarrow');
  writeFileSync(bare, `#!/bin/sh\nexec '${PYTHON}' -c 'import sys; src = sys.argv[1]; sys.argv = ["w", sys.argv[2]]; ` +
    `sys.modules["pyarrow"] = None; exec(compile(src, "parquet_writer.py", "exec"))' "$2" "$3"\n`, { mode: 0o755 });
  const refused = await wslog(['export', ...source, '--format', 'parquet', '--output', join(work, 'x.parquet'),
    '--python', bare]);
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /--format parquet needs Apache Arrow for Python/);
  assert.match(refused.stderr, /the Parquet writer failed/);
  const missing = await wslog(['export', ...source, '--format', 'parquet', '--output', join(work, 'y.parquet'),
    '--python', join(work, 'no-such-python')]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /cannot run .*no-such-python \(--python\)/);
});

test('export filters by type, project, uid and time', async () => {
  const all = await exportJsonl();
  const messages = await exportJsonl(['--type', 'message.*']);
  assert.deepEqual(messages, all.filter((e) => e.type.startsWith('message.')));
  const demo = await exportJsonl(['--project', 'demo', '--type', 'uid.bind,query.list']);
  assert.deepEqual(demo, all.filter((e) => e.project === 'demo' && ['uid.bind', 'query.list'].includes(e.type)));

  const bob = await exportJsonl(['--uid', 'bob', '--project', 'demo']);
  const bobConn = all.find((e) => e.type === 'uid.bind' && e.data.uid === 'bob').conn;
  assert.ok(bob.some((e) => e.type === 'conn.open' && e.conn === bobConn), 'his connection opening, before the bind');
  assert.ok(bob.some((e) => e.type === 'message.direct' && e.data.to === 'bob'), 'a message to him');
  assert.ok(bob.some((e) => e.type === 'signal.answer' && e.conn === bobConn), 'his answer');
  assert.ok(bob.some((e) => e.type === 'conn.close' && e.conn === bobConn), 'his connection ending');
  assert.ok(!bob.some((e) => e.type === 'uid.bind' && e.data.uid !== 'bob'), 'nobody else binding');

  const mid = all[Math.floor(all.length / 2)].ts;
  const late = await exportJsonl(['--since', new Date(mid).toISOString()]);
  const early = await exportJsonl(['--until', String(mid)]);
  assert.deepEqual(late, all.filter((e) => e.ts >= mid));
  assert.deepEqual(early, all.filter((e) => e.ts < mid));
});

test('replaying the same log twice gives the same digest', async () => {
  const digest = (out) => /^digest (sha256:[0-9a-f]{64})$/m.exec(out)?.[1];
  const first = await wslogOk(['replay', ...source]);
  const second = await wslogOk(['replay', ...source]);
  assert.ok(digest(first), first);
  assert.equal(digest(first), digest(second));
  // The state after the whole log: nobody but ops online, dave's message handed out, 'other' gone.
  const dump = join(work, 'end.jsonl');
  await wslogOk(['replay', ...source, '--dump', dump]);
  const keys = readDump(dump);
  assert.deepEqual(Object.keys(keys.get('wsd:projects').value), ['demo']);
  assert.ok(!keys.has('wsd:inbox:{demo}:dave'));
  // (ops may be online: whether a stopping wsd logs the end of its sessions depends on the log)
  assert.deepEqual((keys.get('wsd:online:{demo}')?.value ?? []).filter((uid) => uid !== 'ops'), []);
});

test('replay as of the moment a client was told who is online gives that list', async () => {
  const events = await exportJsonl(['--type', 'query.list']);
  assert.equal(events.length, seen.lists.length);
  for (const [i, told] of seen.lists.entries()) {
    assert.equal(events[i].conn, told.conn);
    const dump = join(work, `asof-${i}.jsonl`);
    const out = await wslogOk(['replay', ...source, '--as-of', new Date(events[i].ts).toISOString(), '--dump', dump]);
    assert.match(out, /^replayed \d+ events/m);
    const online = readDump(dump).get('wsd:online:{demo}')?.value ?? [];
    assert.deepEqual(online, [...told.uids].sort(), `as of the list query ${i}`);
  }
  // dave's message was stored at that first moment, and still is as of the second.
  const dump = join(work, 'asof-1.jsonl');
  const inbox = readDump(dump).get('wsd:inbox:{demo}:dave');
  assert.equal(inbox.value.length, 1);
  assert.equal(JSON.parse(inbox.value[0]).msg, 'stored for later, "quoted", with a comma');
});

test('verify finds the Redis projection equal to the log, then reports a planted difference', async () => {
  let url = liveRedis;
  if (!kafka) {
    url = await freshRedisUrl();
    const out = await wslogOk(['replay', ...source, '--redis', url]);
    assert.match(out, /written to redis:/);
    const again = await wslog(['replay', ...source, '--redis', url]);
    assert.equal(again.code, 3, 'a database that is not empty is refused');
    assert.match(again.stderr, /only into an empty database/);
  }
  const clean = await wslog(['verify', ...source, '--redis', url]);
  assert.equal(clean.code, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /no differences: \d+ keys equal/);

  // A uid online that nobody bound, a renamed project, a token gone.
  const token = (await exportJsonl(['--type', 'token.issue', '--project', 'demo']))[0].data.token;
  await redisCli(url, 'SADD', 'wsd:online:{demo}', 'ghost');
  await redisCli(url, 'HSET', 'wsd:projects', 'demo', '{"name":"Tampered","createdAt":0}');
  await redisCli(url, 'HDEL', 'wsd:tokens:{demo}', token);
  const planted = await wslog(['verify', ...source, '--redis', url]);
  assert.equal(planted.code, 1, planted.stdout + planted.stderr);
  assert.match(planted.stdout, /^\+ wsd:online:\{demo\}( ghost)?: in Redis, not in the replay.*ghost/m);
  assert.match(planted.stdout, /^~ wsd:projects demo: replay has .*"Demo".*\n +Redis has +.*"Tampered"/m);
  assert.match(planted.stdout, new RegExp(`^- wsd:tokens:\\{demo\\} ${token}: in the replay, missing from Redis`, 'm'));
  assert.match(planted.stdout, /^3 difference\(s\) in 3 key\(s\)$/m);
});

test('stats counts types, projects, uids, messages and connections', async () => {
  const all = await exportJsonl();
  const out = await wslogOk(['stats', ...source, '--per-minute', '--by-project-type']);
  const count = (type) => all.filter((e) => e.type === type).length;
  assert.match(out, new RegExp(`^  conn\\.open +${count('conn.open')}$`, 'm'));
  assert.match(out, new RegExp(`^  total +${all.length}$`, 'm'));
  const messages = all.filter((e) => e.type.startsWith('message.') && e.project === 'demo').length;
  // project, events, messages, mail requests, active uids (alice bob carol dave ops), peak conns, peak at
  assert.match(out, new RegExp(`^  demo +\\d+ +${messages} +4 +5 +3 +\\S+Z$`, 'm'), out);
  assert.match(out, /^messages per minute: mean/m);
});

test('timeline tells the call: offer, answer, ICE and what became of each', async () => {
  const out = await wslogOk(['timeline', ...source, '--project', 'demo', '--room', 'call-1']);
  const lines = out.trim().split('\n');
  const types = lines.map((l) => l.split(/ +/)[2]);
  const order = ['room.create', 'room.join', 'signal.offer', 'signal.answer', 'signal.ice', 'signal.ice', 'room.leave'];
  assert.deepEqual(types.filter((t) => t.startsWith('room.') || t.startsWith('signal.')), order);
  assert.ok(types.includes('conn.open') && types.includes('uid.bind') && types.includes('conn.close'), out);
  assert.match(out, /signal\.offer .*\(alice\) +offer to bob in call-1.*=> delivered to 1 connection\(s\)/);
  assert.match(out, /signal\.ice .*\(bob\) +ice to carol in call-1, end of candidates +=> error target_not_in_room/);
  const user = await wslogOk(['timeline', ...source, '--project', 'demo', '--uid', 'dave']);
  assert.match(user, /message\.direct .*alice to dave +=> stored \(recipient offline\)/);
  assert.match(user, /uid\.bind .*\(dave\) +as dave +=> .*handed 1 stored message\(s\) over/);
});

test('whatif decides the mail requests again under another limit, per token', async () => {
  const row = (out, token) => out.split('\n').find((l) => l.includes(token))?.trim().split(/ +/);
  const all = await exportJsonl(['--type', 'mail.request']);
  const token = all[0].data.token;
  const tighter = await wslogOk(['whatif', ...source, '--mail-limit', '1', '--details']);
  // project token requests accepted would-accept refused would-refuse now-refused now-accepted
  assert.deepEqual(row(tighter, token), ['demo', token, '3', '2', '1', '1', '2', '1', '0']);
  assert.match(tighter, /was accepted, would be refused/);
  const looser = await wslogOk(['whatif', ...source, '--mail-limit', '5']);
  assert.deepEqual(row(looser, token), ['demo', token, '3', '2', '3', '1', '0', '0', '1']);
});

test('reading a log changes nothing in it', { skip: kafka }, async () => {
  const dir = join(server.dataDir, 'log');
  const sizes = () => readdirSync(dir).map((f) => [f, statSync(join(dir, f)).size]);
  const before = sizes();
  await wslogOk(['stats', ...source]);
  assert.deepEqual(sizes(), before);
});

test('verify --records passes an intact log and names the file and byte of a flipped bit', { skip: kafka }, async () => {
  const copy = mkdtempSync(join(tmpdir(), 'wslog-records-'));
  try {
    cpSync(join(server.dataDir, 'log'), copy, { recursive: true });
    const intact = await wslogOk(['verify', '--records', '--log-dir', copy]);
    assert.match(intact, /verify: 1 segment\(s\), \d+ intact record\(s\), 0 bad stretch\(es\)/);

    const segment = join(copy, readdirSync(copy).filter((f) => f.endsWith('.log')).sort()[0]);
    const bytes = readFileSync(segment);
    let pos = 0;
    for (let i = 0; i < 5; ++i) pos += 8 + bytes.readUInt32LE(pos);  // the sixth record
    bytes[pos + 8 + 3] ^= 0x10;
    writeFileSync(segment, bytes);
    const damaged = await wslog(['verify', '--records', '--log-dir', copy]);
    assert.equal(damaged.code, 1, damaged.stderr);
    assert.ok(damaged.stdout.includes(`${segment} byte ${pos} (record offset 5): CRC mismatch`), damaged.stdout);
    assert.match(damaged.stdout, /1 bad stretch\(es\)/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

// ---- helpers ---------------------------------------------------------------------------

function readDump(path) {
  const keys = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const entry = JSON.parse(line);
    keys.set(entry.key, entry);
  }
  return keys;
}

// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  return rows;
}
