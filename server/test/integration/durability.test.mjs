// SIGKILL and restart: acknowledged admin changes and stored offline messages survive;
// presence from before the restart is cleared.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { createProject, issueToken, revokeToken, listProjects } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';

let server;
after(async () => server?.dispose());

test('a SIGKILLed server comes back with its projects, tokens and offline messages', async () => {
  server = await startServer();
  await createProject(server, 'durable', 'Durable');
  const token = await issueToken(server, 'durable');
  const revoked = await issueToken(server, 'durable');
  assert.equal((await revokeToken(server, 'durable', revoked)).status, 200);
  const p = { project: 'durable', token };
  const alice = await bound(server, { ...p, transport: 'ws' }, 'alice');
  for (const msg of ['first', 'second']) {
    await alice.send({ type: 'send', to: 'bob', msg });
    assert.equal((await alice.next('send_success')).offline, true);
  }
  await server.kill9();
  await server.restart();

  const project = (await listProjects(server)).find((x) => x.key === 'durable');
  assert.equal(project.name, 'Durable');
  assert.deepEqual(project.tokens.map((t) => t.token), [token]);
  const refused = await fetch(`${server.url}/poll?project=durable&token=${revoked}`);
  assert.equal(refused.status, 401);

  const bob = await bound(server, { ...p, transport: 'ws' }, 'bob');
  assert.equal((await bob.next('direct')).msg, 'first');
  assert.equal((await bob.next('direct')).msg, 'second');
  await bob.send({ type: 'list' });
  assert.deepEqual((await bob.next('list')).uids, ['bob'], 'alice was online before the kill, not after');
  bob.close();
});

// The embedded log's own recovery; with Kafka as the log, the broker owns its files.
const embeddedLog = !process.env.WSD_KAFKA_BROKERS;
if (embeddedLog) test('a torn record at the end of the log is cut off with a warning, and the rest survives', async () => {
  const { appendFileSync, readdirSync } = await import('node:fs');
  const s = await startServer();
  try {
    await createProject(s, 'kept');
    await s.kill9();
    const dir = `${s.dataDir}/log`;
    const segment = readdirSync(dir).filter((f) => f.endsWith('.log')).sort().pop();
    appendFileSync(`${dir}/${segment}`, Buffer.from([0x20, 0, 0, 0, 1, 2]));  // half a header
    await s.restart();
    assert.match(s.stderr(), / warn wsd: .*torn/);
    assert.ok((await listProjects(s)).some((x) => x.key === 'kept'));
    await createProject(s, 'after');
    await s.kill9();
    await s.restart();
    assert.deepEqual((await listProjects(s)).map((x) => x.key).sort(), ['after', 'kept']);
  } finally {
    await s.dispose();
  }
});
