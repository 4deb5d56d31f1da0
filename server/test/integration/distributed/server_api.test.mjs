// The server API across two gateways on one Kafka topic: a call taken by one gateway acts
// on connections the other holds. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sharedDeployment } from '../lib/server.mjs';
import { call } from '../lib/admin.mjs';
import { projectKnownToAll } from '../lib/deployment.mjs';
import { bound } from '../lib/clients.mjs';

let a, b;
before(async () => {
  assert.ok(process.env.WSD_KAFKA_BROKERS, 'needs WSD_KAFKA_BROKERS (run-with-kafka.sh sets it)');
  const deployment = sharedDeployment();
  a = await startServer([], deployment);
  b = await startServer([], deployment);
});
after(async () => Promise.all([a?.dispose(), b?.dispose()]));

async function api(gateway, project, secret, name, body) {
  const res = await fetch(`${gateway.url}/api/${name}?project=${project}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// A server secret issued through A, once B has read it too.
async function secretKnownToBoth(project) {
  const issued = await call(a, 'POST', '/project/secret', { key: project });
  assert.equal(issued.status, 200);
  const deadline = Date.now() + 10000;
  while ((await api(b, project, issued.body.secret, 'list')).status !== 200) {
    assert.ok(Date.now() < deadline, 'gateway B did not take the secret within 10 s');
    await new Promise((r) => setTimeout(r, 20));  // a polling interval, not a wait for something
  }
  return issued.body.secret;
}

test('a kick taken by gateway B closes the uid on gateway A, with 4001 and the reason', async () => {
  const p = await projectKnownToAll([a, b]);
  const secret = await secretKnownToBoth(p.project);
  const alice = await bound(a, { ...p, transport: 'ws' }, 'alice');
  const watcher = await bound(b, { ...p, transport: 'sse' }, 'watcher');
  const r = await api(b, p.project, secret, 'kick', { uid: 'alice', reason: 'moderated' });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.closed, [alice.connId]);
  assert.deepEqual(await alice.closed, { code: 4001, reason: 'moderated' });
  assert.equal((await watcher.next('offline')).uid, 'alice');
  assert.deepEqual((await api(a, p.project, secret, 'list')).body.uids, ['watcher']);
  watcher.close();
});

test('a send taken by gateway A reaches the uid on gateway B, answered offline:false', async () => {
  const p = await projectKnownToAll([a, b]);
  const secret = await secretKnownToBoth(p.project);
  const bob = await bound(b, { ...p, transport: 'poll' }, 'bob');
  const r = await api(a, p.project, secret, 'send', { to: 'bob', msg: 'across' });
  assert.deepEqual([r.status, r.body.offline], [200, false]);
  const direct = await bob.next('direct');
  assert.deepEqual([direct.msg, direct.id, direct.from], ['across', r.body.id, '@server']);
  bob.close();
});
