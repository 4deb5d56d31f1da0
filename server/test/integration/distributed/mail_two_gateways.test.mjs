// POST /mail in a distributed deployment: two gateways take the requests, one `wsd mail`
// process sends them. The rate limit is decided by log order (core/projector.h, invariant
// 4), so requests spread over gateways cannot together pass it. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startMailer, sharedDeployment } from '../lib/server.mjs';
import { freshProject, issueToken } from '../lib/admin.mjs';
import { projectKnownToAll } from '../lib/deployment.mjs';
import { startSmtpSink, parseMessage, postMail } from '../lib/smtp.mjs';

let sink, a, b, mailer;
before(async () => {
  assert.ok(process.env.WSD_KAFKA_BROKERS, 'needs WSD_KAFKA_BROKERS (run-with-kafka.sh sets it)');
  sink = await startSmtpSink();
  const deployment = sharedDeployment();
  // The gateways are given no relay: sending is the mailer's job.
  a = await startServer([], deployment, 'serve');
  b = await startServer([], deployment, 'serve');
  mailer = await startMailer(deployment, ['--smtp-url', sink.url]);
});
after(async () => {
  await Promise.all([a?.dispose(), b?.dispose(), mailer?.dispose()]);
  await sink?.stop();
});

// Waits until each gateway accepts `token` (each reads the token's issue from the log).
async function tokenKnownToAll(servers, project, token) {
  for (const server of servers) {
    const deadline = Date.now() + 10000;
    for (;;) {
      const res = await fetch(`${server.url}/poll?project=${project}&token=${token}`);
      await res.body.cancel();
      if (res.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${server.url} never learned the token`);
      await new Promise((r) => setTimeout(r, 50));  // a retry interval, not a wait for something
    }
  }
}

const subjectOf = (m) => parseMessage(m.data).subject;

test('16 concurrent mails of one token over two gateways: exactly 10 are sent, counts 1..10, 6 get 429', async () => {
  const p = await projectKnownToAll([a, b]);
  const marker = await issueToken(a, p.project);
  await tokenKnownToAll([a, b], p.project, marker);
  const start = sink.count();

  const answers = await Promise.all(Array.from({ length: 16 }, (_, i) =>
    postMail(i % 2 === 0 ? a : b, p, { to: `r${i}@example.com`, subject: `burst ${i}`, text: `mail ${i}` })));
  const sent = answers.map((r, i) => ({ ...r, i })).filter((r) => r.status === 200);
  const limited = answers.filter((r) => r.status === 429);
  assert.deepEqual(answers.map((r) => r.status).filter((s) => s !== 200 && s !== 429), [], JSON.stringify(answers.map((r) => r.body)));
  assert.equal(sent.length, 10);
  assert.equal(limited.length, 6);
  assert.deepEqual(sent.map((r) => r.body.rateLimit.count).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const r of sent) assert.deepEqual(r.body.rateLimit, { allowed: true, count: r.body.rateLimit.count, max: 10 });
  for (const r of limited) {
    assert.equal(r.body.code, 'mail_rate_limited');
    assert.deepEqual(r.body.rateLimit, { allowed: false, count: 10, max: 10 });
    assert.match(r.retryAfter ?? '', /^\d+$/);
  }
  assert.equal(new Set(sent.map((r) => r.body.id)).size, 10, 'request ids are distinct');

  // What reached the relay is exactly what was answered 200.
  const ten = (await sink.waitForCount(start + 10)).slice(start);
  assert.deepEqual(ten.map(subjectOf).sort(), sent.map((r) => `burst ${r.i}`).sort());

  // A mail of another token of the project, requested after all 16 were answered, is a
  // marker: the project's requests are applied in log order, so had a refused one been
  // sent it would have been by now.
  const markerAnswer = await postMail(b, { project: p.project, token: marker }, { to: 'marker@example.com', subject: 'marker', text: 'x' });
  assert.equal(markerAnswer.status, 200, JSON.stringify(markerAnswer.body));
  assert.deepEqual(markerAnswer.body.rateLimit, { allowed: true, count: 1, max: 10 });
  const all = (await sink.waitForCount(start + 11)).slice(start);
  assert.equal(sink.count(), start + 11, 'the 6 refused requests sent nothing');
  assert.equal(subjectOf(all.at(-1)), 'marker');
});

test('a restarted mailer catches up without sending again what it already sent', async () => {
  const p = await projectKnownToAll([a, b]);
  const start = sink.count();
  assert.equal((await postMail(a, p, { to: 'x@example.com', subject: 'before the restart', text: 'x' })).status, 200);
  await sink.waitForCount(start + 1);
  await mailer.restart();
  const r = await postMail(b, p, { to: 'x@example.com', subject: 'after the restart', text: 'x' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.rateLimit.count, 2, 'the window survived the restart: it is in the log');
  const got = (await sink.waitForCount(start + 2)).slice(start);
  assert.deepEqual(got.map(subjectOf), ['before the restart', 'after the restart']);
  assert.equal(sink.count(), start + 2);
});

test('with no mailer running, a gateway answers 504 mail_timeout after --mail-timeout', async () => {
  const alone = await startServer(['--mail-timeout', '1'], sharedDeployment(), 'serve');
  try {
    const p = await freshProject(alone);
    const r = await postMail(alone, p, { to: 'x@example.com', subject: 'no one to send it', text: 'x' });
    assert.equal(r.status, 504, JSON.stringify(r.body));
    assert.equal(r.body.code, 'mail_timeout');
  } finally {
    await alone.dispose();
  }
});
