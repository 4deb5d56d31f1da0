// An admin change is in force on every gateway once the admin API has answered it: each
// gateway appends node.applied when it has applied the change, and the gateway that took
// the request answers once every live gateway has. A client that acts on the answer at
// once, on another gateway, finds the change there. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createProject, issueToken, updateProject, revokeToken } from '../lib/admin.mjs';
import { startDeployment } from '../lib/deployment.mjs';
import { randomBytes } from 'node:crypto';

let d, a, b;
before(async () => {
  d = await startDeployment({ redis: false, projector: false });
  [a, b] = d.gateways;
});
after(() => d?.dispose());

const openPoll = (server, project, token, headers = {}) =>
  fetch(`${server.url}/poll?project=${project}&token=${token}`, { headers }).then(async (res) => ({
    status: res.status,
    body: await res.json(),
  }));

test('a project and token created through one gateway are accepted by the other as soon as they are answered', async () => {
  for (let i = 0; i < 10; ++i) {
    const project = `p_${randomBytes(6).toString('hex')}`;
    await createProject(a, project);
    const token = await issueToken(a, project);
    const opened = await openPoll(b, project, token);
    assert.equal(opened.status, 200, `round ${i}: ${JSON.stringify(opened.body)}`);
    assert.equal(opened.body[0].type, 'connected');
  }
});

test('an Origin allowlist set through one gateway refuses at once on the other, and a revoked token too', async () => {
  const project = `p_${randomBytes(6).toString('hex')}`;
  await createProject(a, project);
  const token = await issueToken(a, project);
  for (let i = 0; i < 5; ++i) {
    await updateProject(a, project, { allowedOrigins: ['https://app.example.com'] });
    assert.equal((await openPoll(b, project, token, { Origin: 'https://evil.example' })).status, 403, `round ${i}`);
    await updateProject(a, project, { allowedOrigins: [] });
    assert.equal((await openPoll(b, project, token, { Origin: 'https://evil.example' })).status, 200, `round ${i}`);
  }
  assert.equal((await revokeToken(a, project, token)).status, 200);
  assert.equal((await openPoll(b, project, token)).status, 401);
});

test('every gateway acknowledges a change in the log', async () => {
  const project = `p_${randomBytes(6).toString('hex')}`;
  await createProject(a, project);
  // The admin event stream shows the log as this gateway applies it: the change, then a
  // node.applied from each gateway for it.
  const res = await fetch(`${b.url}/admin/events?project=${project}`, { headers: { authorization: `Bearer ${b.adminToken}` } });
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const read = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended');
    text += decoder.decode(value, { stream: true });
  };
  while (!text.includes('event: ready')) await read();
  const update = await updateProject(a, project, { maxConnections: 5 });
  assert.ok(update);
  const events = () => text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
  const change = () => events().find((e) => e.type === 'project.update');
  const acks = () => new Set(events().filter((e) => e.type === 'node.applied' && e.data.event === change()?.id).map((e) => e.node));
  const deadline = Date.now() + 10000;
  while (acks().size < 2) {
    assert.ok(Date.now() < deadline, `acknowledgments seen: ${[...acks()]}`);
    await read();
  }
  await reader.cancel();
});
