// The chain on a Kafka topic, end to end: two gateways write one topic (their chains
// interleave in a partition) while a projector applies it and writes partition
// checkpoints, then all stop; wslog verify --chain finds every chain whole, closed and
// signed, and every partition checkpoint holding. Copies of the topic, each with one
// tampering an attacker with write access to the brokers could do (a byte of a message
// edited, a record removed, two swapped, a copy inserted, the partition cut after a
// checkpoint, a gateway's chain removed whole, records of two chains swapped), must each
// be found and located by partition, offset, chain and seq, or by the partition
// checkpoint that no longer holds. (Run with WSD_KAFKA_BROKERS: run.sh kafka.)
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

// Resolves once the projector has applied every record the topic holds now (its offsets
// in Redis reach each partition's end).
async function projectorCaughtUp(redis, topic) {
  const ends = new Map();
  for (const r of await dump(topic)) ends.set(r.partition, r.offset + 1);
  const deadline = Date.now() + 30000;
  for (;;) {
    const offsets = await redis.hGetAll(`wsd:offsets:${topic}`);
    if ([...ends].every(([p, end]) => Number(offsets[p] ?? 0) >= end)) return;
    assert.ok(Date.now() < deadline, `the projector did not catch up: ${JSON.stringify(offsets)}`);
    await new Promise((r) => { setTimeout(r, 100); });
  }
}

// Resolves once every partition holds a partition checkpoint vouching for all its records
// written before it (what a projector writes after applying them).
async function checkpointed(topic) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const records = await dump(topic);
    const partitions = new Set(records.map((r) => r.partition));
    const vouched = (p) => {
      const last = Math.max(...records.filter((r) => r.partition === p && r.event.type !== 'log.partition_checkpoint').map((r) => r.offset));
      return records.some((r) => r.partition === p && r.event.type === 'log.partition_checkpoint' && r.event.data.upTo >= last);
    };
    if ([...partitions].every(vouched)) return;
    assert.ok(Date.now() < deadline, 'the projector did not checkpoint what it applied');
    await new Promise((r) => { setTimeout(r, 100); });
  }
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
    const chainArgs = ['--chain-key', KEY, '--chain-checkpoint-records', '4'];
    // The projector also checkpoints a partition that got fewer records, within a second.
    const d = await startDeployment({ gatewayArgs: chainArgs, projectorArgs: [...chainArgs, '--chain-checkpoint-interval', '1s'] });
    topic = d.shared.topic;
    try {
      const [a, b] = d.gateways;
      await createProject(a, 'demo');
      const token = await issueToken(a, 'demo');
      const alice = await bound(a, { project: 'demo', token, transport: 'ws' }, 'alice');
      const bob = await bound(b, { project: 'demo', token, transport: 'ws' }, 'bob');
      for (let i = 0; i < 6; ++i) {
        // A projector killed resumes each partition's fold from what Redis holds; one that
        // finds Redis flushed rebuilds it and folds the partitions again from offset 0.
        if (i === 2) {
          await checkpointed(topic);
          await d.projector.kill9();
          await d.projector.start();
        }
        if (i === 4) {
          await projectorCaughtUp(d.redis, topic);
          await d.redis.flushDb();
        }
        await alice.send({ type: 'send', to: 'bob', msg: `from alice ${i}` });
        await bob.next((m) => m.type === 'direct' && m.msg === `from alice ${i}`);
        await bob.send({ type: 'send', to: 'alice', msg: `from bob ${i}` });
        await alice.next((m) => m.type === 'direct' && m.msg === `from bob ${i}`);
      }
      alice.close();
      bob.close();
      await Promise.all(d.gateways.map((g) => g.dispose()));  // each gateway stops, closing its chains
      // The projector applies what they wrote last, then stops: its last partition
      // checkpoints, written as it hands its partitions over, vouch for all of it.
      await projectorCaughtUp(d.redis, topic);
    } finally {
      await d.dispose();
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

  // What wslog said about one chain or another, and about a partition's order.
  const findings = (stdout) => stdout.split('\n').filter((l) => /^partition \d+ offset \d+ chain /.test(l));
  const orderFindings = (stdout) => stdout.split('\n').filter((l) => /^partition \d+ offset \d+: order broken: /.test(l));
  // Where (in a copy) the first partition checkpoint stands that vouches for the original
  // record at `offset` of `partition`: the first whose upTo reaches it.
  const firstVouching = (records, placed, partition, offset) => {
    const i = records.findIndex((r) => r.partition === partition && r.event.type === 'log.partition_checkpoint' &&
      r.event.data.upTo >= offset);
    assert.ok(i >= 0, `a partition checkpoint vouches for offset ${offset} of partition ${partition}`);
    return placed[i].offset;
  };
  // The copy's partition-order findings: the first at that checkpoint.
  const assertOrderBrokenAt = (stdout, partition, offset) => {
    const lines = orderFindings(stdout);
    assert.ok(lines.length >= 1, stdout);
    assert.match(lines[0], new RegExp(`^partition ${partition} offset ${offset}: order broken: the records from offset \\d+ to \\d+ ` +
      'are not those the partition checkpoint at offset \\d+ vouched for'));
  };

  test('an untouched topic written by two gateways verifies: every chain closed and every checkpoint signed', async () => {
    const { m, sameChain } = target();
    const chains = new Set(original.filter((r) => r.partition === m.partition).map((r) => r.event.chain));
    assert.ok(chains.size >= 2, `one partition holds both gateways' chains: ${[...chains]}`);
    assert.ok(original.filter(sameChain).some((r) => r.event.type === 'log.checkpoint' && r.event.seq > 0 && !r.event.data.final));
    const r = await verify(topic);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const checkpoints = original.filter((x) => x.event.type === 'log.checkpoint').length;
    assert.match(r.stdout, new RegExp(`${checkpoints} checkpoint\\(s\\), ${checkpoints} with a signature that holds; 0 finding`));
    const chained = original.filter((x) => x.event.chain);
    for (const chain of new Set(chained.map((x) => `${x.event.chain} in partition ${x.partition}`))) {
      assert.match(r.stdout, new RegExp(`^chain ${chain}: \\d+ record\\(s\\), closed$`, 'm'));
    }
    // Every partition checkpoint holds, and the last vouches for all its partition's records.
    const sealed = original.filter((x) => x.event.type === 'log.partition_checkpoint');
    const ofM = sealed.filter((x) => x.partition === m.partition);
    assert.ok(new Set(ofM.map((x) => x.event.node)).size >= 2, 'checkpoints before and after the projector was killed');
    assert.ok(ofM.every((x) => x.event.data.from === 0), 'one fold from offset 0 throughout: resumed, then rebuilt');
    for (const p of new Set(sealed.map((x) => x.partition))) {
      const n = sealed.filter((x) => x.partition === p).length;
      const last = Math.max(...original.filter((x) => x.partition === p && x.event.type !== 'log.partition_checkpoint').map((x) => x.offset));
      const line = new RegExp(`^partition ${p}: \\d+ record\\(s\\); ${n} partition checkpoint\\(s\\), ${n} that hold; ` +
        'order vouched for up to offset (\\d+), 0 record\\(s\\) after it not yet$', 'm').exec(r.stdout);
      assert.ok(line && Number(line[1]) >= last, `partition ${p}'s order vouched for up to its last record (${last}): ${r.stdout}`);
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
    assertOrderBrokenAt(r.stdout, m.partition, firstVouching(edited, placed, m.partition, m.offset));
  });

  test('a record removed from a copy of the topic is found missing from its chain', async () => {
    const { m, next } = target();
    const kept = original.filter((r) => r !== m);
    const { topic: copied, placed } = await copy(kept);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const at = placed[original.indexOf(next) - 1];
    assert.deepEqual(findings(r.stdout), [
      `partition ${at.partition} offset ${at.offset} chain ${m.event.chain} seq ${m.event.seq}: removed: ` +
      `seq ${m.event.seq} is missing before offset ${at.offset}: the record was removed`]);
    assertOrderBrokenAt(r.stdout, m.partition, firstVouching(kept, placed, m.partition, m.offset));
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
    assertOrderBrokenAt(r.stdout, m.partition, firstVouching(swapped, placed, m.partition, m.offset));
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
    assertOrderBrokenAt(r.stdout, m.partition, firstVouching(inserted, placed, m.partition, at.offset));
  });

  test("a gateway's chain removed whole from a partition leaves no chain finding but breaks its partition checkpoints", async () => {
    const { m } = target();
    const other = original.find((r) => r.partition === m.partition && r.event.chain && r.event.chain !== m.event.chain);
    assert.ok(other, 'another gateway wrote the partition');
    const gone = (r) => r.partition === m.partition && r.event.chain === other.event.chain;
    const kept = original.filter((r) => !gone(r));
    const { topic: copied, placed } = await copy(kept);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(findings(r.stdout), [], 'each chain left is whole');
    assert.doesNotMatch(r.stdout, new RegExp(`^chain ${other.event.chain} in partition ${m.partition}:`, 'm'));
    const firstGone = original.find(gone);
    // Where the copy's first checkpoint vouching for it stands: the original one, moved up.
    const i = original.findIndex((x) => x.partition === m.partition && x.event.type === 'log.partition_checkpoint' &&
      x.event.data.upTo >= firstGone.offset);
    assertOrderBrokenAt(r.stdout, m.partition, placed[kept.indexOf(original[i])].offset);
  });

  test('records of two chains swapped leave both chains whole but break the partition checkpoint after them', async () => {
    const { m } = target();
    const inPartition = original.filter((r) => r.partition === m.partition && r.event.chain);
    const k = inPartition.findIndex((r, i) => i > 0 && r.event.chain !== inPartition[i - 1].event.chain &&
      original.some((x) => x.partition === m.partition && x.event.type === 'log.partition_checkpoint' && x.event.data.upTo >= r.offset));
    assert.ok(k > 0, 'two neighbouring records of different chains, vouched for');
    const i = original.indexOf(inPartition[k - 1]);
    const j = original.indexOf(inPartition[k]);
    const swapped = [...original];
    [swapped[i], swapped[j]] = [swapped[j], swapped[i]];
    const { topic: copied, placed } = await copy(swapped);
    const r = await verify(copied);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(findings(r.stdout), [], 'each chain is whole and in its order');
    assertOrderBrokenAt(r.stdout, m.partition, firstVouching(swapped, placed, m.partition, original[i].offset));
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
