// The chain on a Kafka topic, end to end: two gateways write one topic (their chains
// interleave in a partition), then stop; wslog verify --chain finds every chain whole,
// closed and signed. Copies of the topic, each with one tampering an attacker with write
// access to the brokers could do (a byte of a message edited, a record removed, two
// swapped, a copy inserted, the partition cut after a checkpoint), must each be found
// and located by partition, offset, chain and seq. (Run with WSD_KAFKA_BROKERS: run.sh kafka.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB = '../../../../server/test/integration/lib';
const { startDeployment } = await import(`${LIB}/deployment.mjs`);
const { createProject, issueToken } = await import(`${LIB}/admin.mjs`);
const { bound } = await import(`${LIB}/clients.mjs`);

const BUILD = new URL('../../../../build/tools/wslog/', import.meta.url).pathname;
const WSLOG = process.env.WSLOG_BIN ?? `${BUILD}wslog`;
const TOPIC_RECORDS = process.env.TOPIC_RECORDS_BIN ?? `${BUILD}test/topic_records`;
const BROKERS = process.env.WSD_KAFKA_BROKERS;
const PARTITIONS = 2;  // as lib/server.mjs creates test topics
const KEY = 'the operator key, kept apart from the brokers';

function run(bin, args, input) {
  return new Promise((resolve) => {
    const proc = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (c) => { stdout += c; });
    proc.stderr.on('data', (c) => { stderr += c; });
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
    proc.stdin.end(input ?? '');
  });
}

// Every record of `topic`: {partition, offset, value (the bytes as text), event (parsed)}.
async function dump(topic) {
  const r = await run(TOPIC_RECORDS, ['dump', BROKERS, topic]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => {
    const record = JSON.parse(line);
    return { ...record, event: JSON.parse(record.value) };
  });
}

// A new topic holding `records` in the given order, each in its partition; returns the
// copy's records as they now stand (offsets renumbered per partition).
async function copy(records) {
  const topic = `wsd-test-tampered-${randomBytes(6).toString('hex')}`;
  const lines = records.map((r) => JSON.stringify({ partition: r.partition, value: r.value })).join('\n');
  const r = await run(TOPIC_RECORDS, ['load', BROKERS, topic, String(PARTITIONS)], `${lines}\n`);
  assert.equal(r.code, 0, r.stderr);
  const next = new Map();
  const placed = records.map((rec) => {
    const offset = next.get(rec.partition) ?? 0;
    next.set(rec.partition, offset + 1);
    return { ...rec, offset };
  });
  return { topic, placed };
}

let keyFile;
const verify = (topic, ...extra) =>
  run(WSLOG, ['verify', '--chain', '--kafka-brokers', BROKERS, '--kafka-topic', topic, '--chain-key-file', keyFile,
    '--expect-closed', ...extra]);

let original;  // the untouched topic's records
let topic;
let work;

if (BROKERS) {
  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'wslog-chain-'));
    keyFile = join(work, 'chain.key');
    writeFileSync(keyFile, `${KEY}\n`);
    const d = await startDeployment({
      redis: false, projector: false, gatewayArgs: ['--chain-key', KEY, '--chain-checkpoint-records', '4'],
    });
    topic = d.shared.topic;
    try {
      const [a, b] = d.gateways;
      await createProject(a, 'demo');
      const token = await issueToken(a, 'demo');
      const alice = await bound(a, { project: 'demo', token, transport: 'ws' }, 'alice');
      const bob = await bound(b, { project: 'demo', token, transport: 'ws' }, 'bob');
      for (let i = 0; i < 6; ++i) {
        await alice.send({ type: 'send', to: 'bob', msg: `from alice ${i}` });
        await bob.next((m) => m.type === 'direct' && m.msg === `from alice ${i}`);
        await bob.send({ type: 'send', to: 'alice', msg: `from bob ${i}` });
        await alice.next((m) => m.type === 'direct' && m.msg === `from bob ${i}`);
      }
      alice.close();
      bob.close();
    } finally {
      await d.dispose();  // each gateway stops, closing its chains
    }
    original = await dump(topic);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  // A message of one gateway's chain with more of that chain after it, in a partition both
  // gateways wrote: where the tamperings are done.
  function target() {
    const m = original.find((r) => r.event.type === 'message.direct' && r.event.data.msg === 'from alice 2');
    const sameChain = (r) => r.partition === m.partition && r.event.chain === m.event.chain;
    const next = original.find((r) => sameChain(r) && r.event.seq === m.event.seq + 1);
    return { m, next, sameChain };
  }

  // What wslog said about the copy, the copy's records, and `m` where it now stands.
  const findings = (stdout) => stdout.split('\n').filter((l) => /^partition \d+ offset \d+ /.test(l));

  test('an untouched topic written by two gateways verifies: every chain closed and every checkpoint signed', async () => {
    const { m, sameChain } = target();
    const chains = new Set(original.filter((r) => r.partition === m.partition).map((r) => r.event.chain));
    assert.ok(chains.size >= 2, `one partition holds both gateways' chains: ${[...chains]}`);
    assert.ok(original.filter(sameChain).some((r) => r.event.type === 'log.checkpoint' && r.event.seq > 0 && !r.event.data.final));
    const r = await verify(topic);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const checkpoints = original.filter((x) => x.event.type === 'log.checkpoint').length;
    assert.match(r.stdout, new RegExp(`${checkpoints} checkpoint\\(s\\), ${checkpoints} with a signature that holds; 0 finding`));
    for (const chain of new Set(original.map((x) => `${x.event.chain} in partition ${x.partition}`))) {
      assert.match(r.stdout, new RegExp(`^chain ${chain}: \\d+ record\\(s\\), closed$`, 'm'));
    }
    writeFileSync(join(work, 'wrong.key'), 'another key\n');
    const wrongKey = await run(WSLOG, ['verify', '--chain', '--kafka-brokers', BROKERS, '--kafka-topic', topic,
      '--chain-key-file', join(work, 'wrong.key')]);
    assert.equal(wrongKey.code, 1);
    assert.match(wrongKey.stdout, /bad checkpoint: checkpoint at offset \d+: its signature does not hold under this key/);
  });

  test('a byte of a message edited in a copy of the topic is found at that record', async () => {
    const { m } = target();
    const edited = original.map((r) => (r === m ? { ...r, value: r.value.replace('from alice 2', 'from alice 7') } : r));
    const { topic: copied, placed } = await copy(edited);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = placed[original.indexOf(m)];
    assert.equal(findings(r.stdout)[0],
      `partition ${at.partition} offset ${at.offset} chain ${m.event.chain} seq ${m.event.seq}: changed: ` +
      `the record at offset ${at.offset} (seq ${m.event.seq}) is not what the next record chained to: its bytes were changed`);
    assert.equal(findings(r.stdout).length, 1, r.stdout);
  });

  test('a record removed from a copy of the topic is found missing from its chain', async () => {
    const { m, next } = target();
    const { topic: copied, placed } = await copy(original.filter((r) => r !== m));
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = placed[original.indexOf(next) - 1];
    assert.deepEqual(findings(r.stdout), [
      `partition ${at.partition} offset ${at.offset} chain ${m.event.chain} seq ${m.event.seq}: removed: ` +
      `seq ${m.event.seq} is missing before offset ${at.offset}: the record was removed`]);
  });

  test('two records of one chain swapped in a copy of the topic are found moved', async () => {
    const { m, next } = target();
    const swapped = [...original];
    const i = original.indexOf(m);
    const j = original.indexOf(next);
    [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
    const { topic: copied, placed } = await copy(swapped);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = placed[j];  // where m now stands, after the one that followed it
    const lines = findings(r.stdout);
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0], new RegExp(`^partition ${at.partition} offset ${at.offset} chain ${m.event.chain} seq ${m.event.seq}: reordered: `));
  });

  test('a copy of a record inserted further on is found as inserted', async () => {
    const { m, next } = target();
    const inserted = [...original];
    const j = original.indexOf(next);
    inserted.splice(j + 1, 0, m);
    const { topic: copied, placed } = await copy(inserted);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = placed[j + 1];
    assert.deepEqual(findings(r.stdout), [
      `partition ${at.partition} offset ${at.offset} chain ${m.event.chain} seq ${m.event.seq}: inserted: ` +
      `seq ${m.event.seq} at offset ${at.offset} repeats a place the chain already passed`]);
  });

  test('a partition cut after a checkpoint is found truncated at that checkpoint', async () => {
    const { m, sameChain } = target();
    const checkpoint = original.find((r) => sameChain(r) && r.event.type === 'log.checkpoint' && r.event.seq > 0 && !r.event.data.final);
    const cutAt = original.indexOf(checkpoint);
    const kept = original.filter((r, i) => r.partition !== m.partition || i <= cutAt);
    const { topic: copied, placed } = await copy(kept);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = placed[kept.indexOf(checkpoint)];
    const ofChain = findings(r.stdout).filter((l) => l.includes(` chain ${m.event.chain} `));
    assert.deepEqual(ofChain, [
      `partition ${at.partition} offset ${at.offset} chain ${m.event.chain} seq ${checkpoint.event.seq}: truncated: ` +
      `chain ${m.event.chain} ends at seq ${checkpoint.event.seq}, a checkpoint, without its closing checkpoint: ` +
      'the records after it were cut (or its producer was killed)']);
    assert.ok(findings(r.stdout).every((l) => l.includes(': truncated: ')), r.stdout);
    // Without --expect-closed (producers may still be running) the cut chain is shown open.
    const live = await run(WSLOG, ['verify', '--chain', '--kafka-brokers', BROKERS, '--kafka-topic', copied,
      '--chain-key-file', keyFile]);
    assert.equal(live.code, 0, live.stdout);
    assert.match(live.stdout, new RegExp(`^chain ${m.event.chain} in partition ${m.partition}: \\d+ record\\(s\\), open `, 'm'));
  });
}
