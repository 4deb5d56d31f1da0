// The Kafka broker stops while clients send, then comes back. While the log is
// unavailable a client's action is answered with an error, never with a false
// send_success, and nothing that was acknowledged is lost. This test runs a broker of
// its own (deploy/local/kafka.sh), since it stops it. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { freshProject } from '../lib/admin.mjs';
import { bound } from '../lib/clients.mjs';
import { assertValid } from '../lib/schemas.mjs';
import { until } from '../lib/redis.mjs';
import { freeLocalPort } from '../lib/ports.mjs';

const kafkaScript = new URL('../../../../deploy/local/kafka.sh', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wsd-outage-'));
let port;  // and the next one, the broker's controller
const broker = (command) => execFileSync('bash', [kafkaScript, command, dir, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });

let gatewayArgs;
const servers = [];
before(async () => {
  // Below 32768, so that the broker restarted below gets its port back (lib/ports.mjs).
  // Another suite's service may still take a port between the check and the start: then
  // the next free pair, as deploy/local/ports.sh does.
  const taken = new Set();
  for (let attempt = 1; ; ++attempt) {
    port = await freeLocalPort({ pair: true, taken });
    try {
      broker('start');
      break;
    } catch (error) {
      broker('stop');
      rmSync(dir, { recursive: true, force: true });
      if (attempt === 3) throw error;
    }
  }
  gatewayArgs = ['--kafka-brokers', `127.0.0.1:${port}`, '--kafka-topic', 'outage', '--kafka-partitions', '1'];
});
after(async () => {
  await Promise.all(servers.map((s) => s.dispose()));
  broker('stop');
  rmSync(dir, { recursive: true, force: true });
});

async function gateway() {
  const server = await startServer(gatewayArgs, { topic: 'outage', adminToken: 'outage-admin-token' });
  servers.push(server);
  return server;
}

// Sends `msg` and resolves with what the sender was told: send_success or error.
async function outcome(client, to, msg) {
  await client.send({ type: 'send', to, msg });
  return client.next((m) => m.type === 'send_success' || m.type === 'error', 30000);
}

test('while the broker is down senders get errors, not send_success, and nothing acknowledged is lost', async () => {
  const wsd = await gateway();
  const p = await freshProject(wsd);
  const alice = await bound(wsd, { ...p, transport: 'ws' }, 'alice');
  const bob = await bound(wsd, { ...p, transport: 'ws' }, 'bob');
  assert.equal((await outcome(alice, 'carol', 'stored before')).offline, true);

  broker('stop');
  // Sent together: each is answered when the producer gives up on it (10 s).
  for (let i = 0; i < 3; ++i) await alice.send({ type: 'send', to: 'bob', msg: { during: i } });
  const during = [];
  for (let i = 0; i < 3; ++i) {
    during.push(await alice.next((m) => m.type === 'send_success' || m.type === 'error', 30000));
  }
  for (const reply of during) {
    assert.equal(reply.type, 'error', `no acknowledgement while the log is down: ${JSON.stringify(reply)}`);
    assert.equal(reply.code, 'log_unavailable');
  }
  // /readyz says so too (the log refused appends), and names the log.
  const down = await fetch(`${wsd.url}/readyz`);
  const downBody = assertValid('http/readyz_response', await down.json());
  assert.equal(down.status, 503);
  assert.equal(downBody.code, 'not_ready');
  assert.notEqual(downBody.checks.log, 'ok');

  broker('start');
  let acknowledged;
  for (let attempt = 0; acknowledged === undefined; ++attempt) {  // until the gateway reaches the broker again
    assert.ok(attempt < 20, 'never acknowledged after the broker came back');
    const reply = await outcome(alice, 'bob', { after: attempt });
    if (reply.type === 'send_success') acknowledged = attempt;
    else assert.equal(reply.code, 'log_unavailable');
  }
  await bob.next((m) => m.type === 'direct' && m.msg.after === acknowledged, 10000);
  // The log takes appends again (the send above, and node.alive): ready again.
  await until(async () => (await fetch(`${wsd.url}/readyz`)).status === 200, '/readyz to answer 200 again', 10000);
  // Log order: anything refused before it would have arrived before it.
  const refusedButDelivered = bob.inbox.messages.filter((m) => m.type === 'direct');
  assert.deepEqual(refusedButDelivered, [], 'a message answered with an error was not delivered either');

  // What was acknowledged before the outage is in the log: a gateway started now, which
  // rebuilds its state from the log, delivers carol's stored message.
  const fresh = await gateway();
  const carol = await bound(fresh, { ...p, transport: 'ws' }, 'carol');
  assert.equal((await carol.next('direct')).msg, 'stored before');
  alice.close();
  bob.close();
  carol.close();
});
