// The embedded log never destroys acknowledged records: a bit flipped in the middle of
// the log stops the start with the file and byte named, `wsd log repair` moves the damage
// aside and the server starts again on the records before it; a full disk refuses writes
// with log_unavailable, goes on answering reads, and takes writes again once there is
// room. (With Kafka as the log, the broker owns its files: these run on the embedded log.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, wsdEnv } from './lib/server.mjs';
import { createProject, issueToken, listProjects } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';

const WSD_BIN = process.env.WSD_BIN ?? new URL('../../../build/server/wsd', import.meta.url).pathname;
const embeddedLog = !process.env.WSD_KAFKA_BROKERS;

// Runs wsd to its end: its exit code and what it printed. A wsd that starts serving
// instead is stopped, and `started` says so.
function runWsd(args) {
  return new Promise((resolve) => {
    const proc = spawn(WSD_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: wsdEnv() });
    let stdout = '';
    let stderr = '';
    let started = false;
    proc.stdout.on('data', (c) => { stdout += c; });
    proc.stderr.on('data', (c) => {
      stderr += c;
      if (!started && /listening on/.test(stderr)) {
        started = true;
        proc.kill('SIGTERM');
      }
    });
    proc.on('close', (code) => resolve({ code, stdout, stderr, started }));
  });
}

// The byte position of the first record whose payload contains `text`
// (u32 length | u32 crc32 | payload, as lib/eventlog.mjs reads them).
function recordPosition(segment, text) {
  const data = readFileSync(segment);
  for (let pos = 0; pos + 8 <= data.length;) {
    const length = data.readUInt32LE(pos);
    if (data.subarray(pos + 8, pos + 8 + length).toString('utf8').includes(text)) return pos;
    pos += 8 + length;
  }
  throw new Error(`no record with ${text} in ${segment}`);
}

if (embeddedLog) test('a bit flip in the middle of the log stops the start; the repair command keeps the records before it', async () => {
  const s = await startServer();
  try {
    await createProject(s, 'before');
    const token = await issueToken(s, 'before');
    await createProject(s, 'middle');
    await createProject(s, 'after');
    await s.stop();
    const dir = join(s.dataDir, 'log');
    const segment = join(dir, readdirSync(dir).filter((f) => f.endsWith('.log')).sort().pop());
    const damagedAt = recordPosition(segment, '"middle"');
    const bytes = readFileSync(segment);
    bytes[damagedAt + 8 + 20] ^= 0x04;  // one bit of the payload
    writeFileSync(segment, bytes);

    const refused = await runWsd(['all', '--listen', '127.0.0.1:0', '--admin-token', s.adminToken, '--data-dir', s.dataDir]);
    assert.equal(refused.started, false, `wsd started on a damaged log:\n${refused.stderr}`);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`${segment}: CRC mismatch at byte ${damagedAt} `));
    assert.ok(refused.stderr.includes(`run: wsd log repair --data-dir ${s.dataDir}`), refused.stderr);
    assert.deepEqual(readFileSync(segment), bytes, 'the refused start changed nothing');

    const repair = await runWsd(['log', 'repair', '--data-dir', s.dataDir]);
    assert.equal(repair.code, 0, repair.stderr);
    assert.match(repair.stdout, /kept: \d+ records/);
    const folder = readdirSync(dir).find((f) => f.startsWith('damaged-'));
    assert.ok(folder, repair.stdout);
    assert.deepEqual(readFileSync(join(dir, folder, segment.split('/').pop())), bytes, 'the damaged segment is kept whole');
    assert.equal(readFileSync(segment).length, damagedAt, 'the log keeps the records before the damage');

    await s.start();
    const keys = (await listProjects(s)).map((p) => p.key);
    assert.deepEqual(keys, ['before']);
    const client = await bound(s, { project: 'before', token, transport: 'ws' }, 'alice');
    client.close();
  } finally {
    await s.dispose();
  }
});

if (embeddedLog) test('while wsd runs, neither a repair nor a second wsd on the same data dir touches its log', async () => {
  const s = await startServer();
  try {
    await createProject(s, 'kept');
    const dir = join(s.dataDir, 'log');
    const files = () => Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => [f, readFileSync(join(dir, f))]));
    const before = files();
    const repair = await runWsd(['log', 'repair', '--data-dir', s.dataDir]);
    assert.notEqual(repair.code, 0);
    assert.match(repair.stderr, new RegExp(`${dir} is in use by another process \\(pid \\d+\\)`));
    const second = await runWsd(['all', '--listen', '127.0.0.1:0', '--admin-token', s.adminToken, '--data-dir', s.dataDir]);
    assert.equal(second.started, false, `a second wsd started on the same log:\n${second.stderr}`);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /is in use by another process/);
    assert.deepEqual(files(), before, 'the log is as the running wsd left it');
    assert.deepEqual((await listProjects(s)).map((p) => p.key), ['kept']);  // still serving
  } finally {
    await s.dispose();
  }
});

const WSLOG_BIN = process.env.WSLOG_BIN ?? new URL('../../../build/tools/wslog/wslog', import.meta.url).pathname;

function wslog(args) {
  return new Promise((resolve) => {
    const proc = spawn(WSLOG_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c) => { stdout += c; });
    proc.stderr.on('data', (c) => { stderr += c; });
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// CRC-32 (IEEE, as zlib's crc32), so that an edit can carry a CRC that holds: what the
// chain is for, since CRCs catch only accidents.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A segment's records (payloads), and a segment made of payloads, each framed with a CRC that holds.
function payloadsOf(segment) {
  const data = readFileSync(segment);
  const out = [];
  for (let pos = 0; pos + 8 <= data.length;) {
    const length = data.readUInt32LE(pos);
    out.push(Buffer.from(data.subarray(pos + 8, pos + 8 + length)));
    pos += 8 + length;
  }
  return out;
}
function framed(payloads) {
  return Buffer.concat(payloads.map((p) => {
    const header = Buffer.alloc(8);
    header.writeUInt32LE(p.length, 0);
    header.writeUInt32LE(crc32(p), 4);
    return Buffer.concat([header, p]);
  }));
}

if (embeddedLog) test('wslog verify --chain finds and locates a changed byte, a removed record, two swapped and a log cut back after a published checkpoint', async () => {
  const key = 'the operator key, kept apart from the data';
  const s = await startServer(['--chain-key', key, '--chain-checkpoint-records', '5']);
  const keyFile = join(s.dataDir, '..', `chain-key-${process.pid}`);
  writeFileSync(keyFile, `${key}\n`);
  try {
    for (let i = 0; i < 12; ++i) await createProject(s, `p${i}`);
    await s.stop();
    const dir = join(s.dataDir, 'log');
    const segment = join(dir, readdirSync(dir).filter((f) => f.endsWith('.log')).sort().pop());
    const original = readFileSync(segment);
    const payloads = payloadsOf(segment);
    const events = payloads.map((p) => JSON.parse(p.toString('utf8')));
    const verify = (...extra) => wslog(['verify', '--chain', '--log-dir', dir, '--chain-key-file', keyFile, ...extra]);

    const clean = await verify();
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    const checkpoints = events.filter((e) => e.type === 'log.checkpoint');
    assert.ok(checkpoints.length >= 2, `checkpoints written: ${checkpoints.length}`);
    assert.match(clean.stdout, new RegExp(`${checkpoints.length} checkpoint\\(s\\), ${checkpoints.length} with a signature that holds`));
    events.forEach((e, i) => assert.equal(e.seq, i, 'seq is the record\'s offset'));

    const k = events.findIndex((e) => e.type === 'project.create' && e.data.key === 'p3');
    const tampered = async (edited, ...extra) => {
      writeFileSync(segment, framed(edited));
      const r = await verify(...extra);
      writeFileSync(segment, original);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      return r.stdout;
    };
    // One byte of p3's name, with its CRC made to hold.
    const edited = payloads.map((p) => Buffer.from(p));
    edited[k] = Buffer.from(edited[k].toString('utf8').replace('"key":"p3"', '"key":"p7"'));
    assert.match(await tampered(edited), new RegExp(`^offset ${k}: changed: `, 'm'));
    // p3's record removed, and p3's and p4's swapped.
    assert.match(await tampered(payloads.filter((_, i) => i !== k)), new RegExp(`^offset ${k}: removed: seq ${k} is missing`, 'm'));
    const swapped = [...payloads];
    [swapped[k], swapped[k + 1]] = [swapped[k + 1], swapped[k]];
    const moved = await tampered(swapped);
    assert.match(moved, new RegExp(`^offset ${k + 1}: reordered: seq ${k} `, 'm'));
    assert.match(moved, /; 1 finding\(s\)/);
    // Cut back to the first checkpoint: a clean chain, but shorter than the last checkpoint published.
    const last = checkpoints.at(-1);
    const first = events.indexOf(checkpoints[0]);
    const cut = await tampered(payloads.slice(0, first + 1), '--anchor', `${last.data.upTo}:${last.data.hash}`);
    assert.match(cut, new RegExp(`anchor missed: the log ends at seq ${first}, before the anchored seq ${last.data.upTo}`));
    // The untouched log holds that anchor.
    assert.equal((await verify('--anchor', `${last.data.upTo}:${last.data.hash}`)).code, 0);
  } finally {
    rmSync(keyFile, { force: true });
    await s.dispose();
  }
});

// Fills the file system at `dir` to its last byte; returns the filler's path.
function fillUp(dir) {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    for (const size of [65536, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x2a);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (e) {
        if (e.code !== 'ENOSPC') throw e;
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

const appendFailures = (stderr) => (stderr.match(/log append failed/g) ?? []).length;

if (embeddedLog) test('a full disk refuses writes with log_unavailable, still answers reads, and recovers when space is freed', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-full-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dataDir]);  // needs root, as CI runs
  let s;
  try {
    s = await startServer(['--data-dir', dataDir, '--fsync', 'always']);
    await createProject(s, 'full');
    const token = await issueToken(s, 'full');
    const p = { project: 'full', token, transport: 'ws' };
    const alice = await bound(s, p, 'alice');
    const bob = await bound(s, p, 'bob');
    const filler = fillUp(dataDir);

    // The segment's last page may still have room for a few records; then it has none.
    let refusal;
    for (let i = 0; i < 10 && !refusal; ++i) {
      await alice.send({ type: 'send', to: 'bob', msg: 'x'.repeat(1000) });
      const answer = await alice.next((m) => m.type === 'send_success' || m.type === 'error');
      if (answer.type === 'error') refusal = answer;
    }
    assert.ok(refusal, 'a 2 MiB file system took ten 1 kB messages after it was full');
    assert.equal(refusal.code, 'log_unavailable');
    assert.ok(refusal.msg.length > 0);

    const failuresBefore = appendFailures(s.stderr());
    for (let i = 0; i < 12; ++i) {
      await bob.send({ type: 'list' });
      assert.deepEqual((await bob.next('list')).uids.sort(), ['alice', 'bob']);
    }
    assert.ok(appendFailures(s.stderr()) > failuresBefore, 'some of the queries were answered without the log');
    assert.ok((await listProjects(s)).some((x) => x.key === 'full'));

    rmSync(filler);
    await alice.send({ type: 'send', to: 'bob', msg: 'after' });
    assert.equal((await alice.next((m) => m.type === 'send_success' || m.type === 'error')).type, 'send_success');
    assert.equal((await bob.next((m) => m.type === 'direct' && m.msg === 'after')).msg, 'after');
    alice.close();
    bob.close();
    await s.stop();
    await s.start();  // what the clients were told is what the log holds
    assert.ok((await listProjects(s)).some((x) => x.key === 'full'));
  } finally {
    await s?.dispose();
    execFileSync('umount', [dataDir]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
