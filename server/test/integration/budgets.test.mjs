// Output held for clients is bounded in bytes, per session and for the process. A session
// over its budget is ended with a documented reason, the direct messages it never
// received go to its uid's offline inbox, and the memory it held is given back
// (wsd_held_output_bytes in /metrics).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';

// With several gateways sharing Redis (WSD_DEPLOYMENT=two-gateways), a polling session's
// queue lives in Redis: the same session budget bounds it there, and with Kafka a message
// can reach a session's gateway after the session left it but before its conn.close is
// applied: it is kept for the uid all the same.
const SESSION_BUDGET = 256 * 1024;
const big = 'x'.repeat(60000);

let server;
before(async () => {
  server = await startServer(['--session-output-budget', String(SESSION_BUDGET)]);
});
after(() => server.dispose());

// Summed over the deployment's gateways (one, or each behind the balancer).
async function metric(target, name, labels = '') {
  let sum;
  for (const gateway of target.gateways ?? [target]) {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
    if (line !== undefined) sum = (sum ?? 0) + Number(line.split(' ')[1]);
  }
  return sum;
}

async function until(check, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A polling session bound to `uid` that nobody polls after the bind.
async function abandonedPoll(p, uid) {
  const [connected] = await (await fetch(`${server.url}/poll?project=${p.project}&token=${p.token}`)).json();
  const { connId, secret } = connected;
  const url = `${server.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`;
  const headers = { 'wsd-session-secret': secret };
  assert.equal((await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'bind', uid }) })).status, 200);
  const first = await (await fetch(url, { headers })).json();
  assert.equal(first[0].type, 'bind_success');
  return { url, headers };
}

// Binds `uid` and takes its next `count` direct messages. A bind hands over the whole
// inbox at once, which can put the new session over its budget in turn on a busy machine:
// it is ended the same way (what it did not get is kept again), and a client binds again,
// as this one does.
async function takeDirects(p, uid, count) {
  const taken = [];
  for (let round = 0; taken.length < count; ++round) {
    assert.ok(round < 20, `${uid} was ended over its budget ${round} times in a row`);
    const client = await bound(server, { ...p, transport: 'ws' }, uid);
    const closed = new Promise((resolve) => client.raw.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    while (taken.length < count) {
      const next = client.next('direct', 15000);
      const got = await Promise.race([next, closed]);
      if (got.type !== 'direct') {
        next.catch(() => {});  // nothing more comes on a closed connection
        assert.deepEqual(got, { code: 1008, reason: 'output_over_budget' });
        break;
      }
      taken.push(got);
    }
    client.close();
  }
  return taken;
}

// A sender and a WebSocket reader, 'slow', that has stopped reading; `ended` is the count
// of sessions ended over their budget before.
async function readerThatStopped() {
  const p = await freshProject(server);
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const slow = await bound(server, { ...p, transport: 'ws' }, 'slow');
  const ended = await metric(server, 'wsd_sessions_over_budget_total', '{budget="session"}');
  slow.raw._socket.pause();
  assert.equal((await sender.next('online')).uid, 'slow');
  return { p, sender, slow, ended };
}

test('polling sessions nobody polls are ended over their budget, and their direct messages wait in the inbox', async () => {
  const p = await freshProject(server);
  const before = await metric(server, 'wsd_sessions_over_budget_total', '{budget="session"}');
  const uids = ['r0', 'r1', 'r2'];
  const sessions = [];
  for (const uid of uids) sessions.push(await abandonedPoll(p, uid));
  const sender = await bound(server, { ...p, transport: 'ws' }, 'sender');
  const count = 10;  // 600 KB each: more than twice the budget
  for (let i = 0; i < count; ++i) {
    await sender.send({ type: 'multicast', to: uids, msg: { i, big } });
    await sender.next('send_success');
  }
  await until(async () => (await metric(server, 'wsd_sessions_over_budget_total', '{budget="session"}')) === before + 3,
    'three sessions ended over budget');
  await until(async () => (await metric(server, 'wsd_held_output_bytes')) < SESSION_BUDGET, 'held output given back');
  // Each session's next GET says why it ended.
  for (const { url, headers } of sessions) {
    const messages = await (await fetch(url, { headers })).json();
    const closed = messages.find((m) => m.type === 'closed');
    assert.deepEqual({ code: closed.code, reason: closed.reason }, { code: 1008, reason: 'output_over_budget' });
  }
  // Every message reaches each uid once it binds again: the ones its session held from
  // the inbox, the rest stored as sent to an offline uid. (Once the uid is offline, its
  // session's end is in the log, after everything it kept for the uid: with several
  // gateways a bind could otherwise reach the log before the last of them.)
  for (const uid of uids) {
    await until(async () => {
      await sender.send({ type: 'online', uid });
      return (await sender.next('online_result')).online === false;
    }, `${uid} offline`);
    const got = await takeDirects(p, uid, count);
    assert.deepEqual(got.map((m) => m.msg.i).sort((a, b) => a - b), [...Array(count).keys()]);
    assert.ok(got.every((m) => m.offline === true && m.from === 'sender'));
  }
  sender.close();
});

test('ws: a reader that stops reading is closed with 1008 output_over_budget and gets its messages on its next bind', async () => {
  const { p, sender, slow, ended } = await readerThatStopped();
  let sent = 0;
  const send = async () => {
    await sender.send({ type: 'send', to: 'slow', msg: { i: sent, big } });
    await sender.next('send_success');
    ++sent;
  };
  while ((await metric(server, 'wsd_sessions_over_budget_total', '{budget="session"}')) === ended) {
    assert.ok(sent < 400, 'the reader was never ended');
    await send();
  }
  for (let k = 0; k < 3; ++k) await send();  // after it was ended: kept for it as well
  const close = new Promise((resolve) => slow.raw.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  slow.raw._socket.resume();
  assert.deepEqual(await close, { code: 1008, reason: 'output_over_budget' });
  assert.equal((await sender.next('offline', 10000)).uid, 'slow');
  // What it read before it stopped, plus its inbox, is every message, once.
  const seen = slow.inbox.messages.filter((m) => m.type === 'direct').map((m) => m.msg.i);
  for (const m of await takeDirects(p, 'slow', sent - seen.length)) seen.push(m.msg.i);
  assert.deepEqual([...seen].sort((a, b) => a - b), [...Array(sent).keys()]);
  sender.close();
});

// Sent without waiting for their answers, many messages are still on their way through
// the log when the reader is ended: some reach its gateway after the session left it but
// before its conn.close is applied (with Kafka, for a broker round trip), and the uid binds
// again at once, maybe before the gateway has handed those back. Each arrives, once.
test('ws: a reader ended while messages are in flight, binding again at once, gets every message once', async () => {
  const { p, sender, slow, ended } = await readerThatStopped();
  let sent = 0;
  const burst = async () => {  // ten on their way at once
    for (let k = 0; k < 10; ++k) await sender.send({ type: 'send', to: 'slow', msg: { i: sent++, big } });
  };
  const answered = async (count) => {
    for (let k = 0; k < count; ++k) await sender.next('send_success', 20000);
  };
  while ((await metric(server, 'wsd_sessions_over_budget_total', '{budget="session"}')) === ended) {
    assert.ok(sent < 400, 'the reader was never ended');
    await burst();
    await answered(10);
  }
  await burst();  // in flight while the end of the session travels through the log
  const close = new Promise((resolve) => slow.raw.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  slow.raw._socket.resume();
  assert.deepEqual(await close, { code: 1008, reason: 'output_over_budget' });
  const seen = slow.inbox.messages.filter((m) => m.type === 'direct').map((m) => m.msg.i);
  const binding = takeDirects(p, 'slow', sent - seen.length);  // at once, while the last are answered
  await answered(10);
  for (const m of await binding) seen.push(m.msg.i);
  assert.deepEqual([...seen].sort((a, b) => a - b), [...Array(sent).keys()]);
  sender.close();
});

test('the process budget ends the sessions holding the most with 1013 server_output_full', async () => {
  const tight = await startServer(['--session-output-budget', '0', '--output-budget', String(512 * 1024)]);
  try {
    const p = await freshProject(tight);
    const sender = await bound(tight, { ...p, transport: 'ws' }, 'sender');
    const hoarder = await bound(tight, { ...p, transport: 'ws' }, 'hoarder');
    hoarder.raw._socket.pause();
    assert.equal((await sender.next('online')).uid, 'hoarder');
    for (let i = 0; (await metric(tight, 'wsd_sessions_over_budget_total', '{budget="process"}')) !== 1; ++i) {
      assert.ok(i < 400, 'the process budget never ended the hoarder');
      await sender.send({ type: 'send', to: 'hoarder', msg: { i, big } });
      await sender.next('send_success');
    }
    const close = new Promise((resolve) => hoarder.raw.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    hoarder.raw._socket.resume();
    assert.deepEqual(await close, { code: 1013, reason: 'server_output_full' });
    await sender.send({ type: 'ping' });
    await sender.next('pong');  // everyone else is still served
    sender.close();
  } finally {
    await tight.dispose();
  }
});
