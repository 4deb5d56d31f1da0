// Webhooks: endpoints registered through the admin API receive the events they chose,
// signed with their secret, from a real node:http receiver's point of view; failed
// attempts are retried with backoff and every outcome is recorded in the log
// (webhook.delivered / webhook.failed, read here from the admin event stream, which works
// on every backend); and an endpoint that answers slowly never slows messaging.
//
// In the two-gateways deployment, lib/server.mjs starts a `wsd hooks` dispatcher next to
// the gateways (the --webhook-* flags ask for one).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startServer } from './lib/server.mjs';
import { call, createProject, deleteProject, freshProject } from './lib/admin.mjs';
import { bound, connect } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';

const ATTEMPTS = 3;
const FLAGS = ['--webhook-attempts', String(ATTEMPTS), '--webhook-backoff', '0.05', '--webhook-timeout', '30'];

let server;
before(async () => {
  server = await startServer(FLAGS);
});
after(() => server.dispose());

// ---- helpers ------------------------------------------------------------------------------

// A webhook endpoint on loopback. `respond(request, index)` returns (or resolves to) the
// status to answer; every request is kept: {headers, body, json}, in order of arrival.
async function startReceiver(t, respond = () => 200) {
  const requests = [];
  const waiters = new Set();
  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const request = { method: req.method, headers: req.headers, body, json: JSON.parse(body) };
      requests.push(request);
      for (const w of [...waiters]) w();
      const status = await respond(request, requests.length - 1);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    http.closeAllConnections();
    return new Promise((resolve) => http.close(resolve));
  });
  // Resolves once `count` requests match `pred`, with those requests.
  const matching = (pred, count = 1, timeoutMs = 15000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = requests.filter(pred);
        if (found.length < count) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`the receiver got ${requests.filter(pred).length} of ${count} matching requests within ` +
          `${timeoutMs} ms; all: ${JSON.stringify(requests.map((r) => r.json))}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { url: `http://127.0.0.1:${http.address().port}/hooks`, requests, matching };
}

// The admin event stream of `project` (GET /admin/events), read from one gateway; `next`
// resolves with the first event (parsed) that matches and has not been taken yet.
async function eventStream(t, project) {
  const reader = server.gateways?.[0] ?? server;
  const controller = new AbortController();
  const res = await fetch(`${reader.url}/admin/events?project=${encodeURIComponent(project)}`, {
    headers: { authorization: `Bearer ${server.adminToken}` },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  t.after(() => controller.abort());
  const events = [];
  const waiters = new Set();
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          if (lines.includes('event: ready')) ready();
          const data = lines.find((l) => l.startsWith('data: '));
          if (data && !lines.includes('event: ready')) events.push(JSON.parse(data.slice(6)));
          for (const w of [...waiters]) w();
        }
      }
    } catch {
      // aborted at the end of the test
    }
  })();
  await isReady;
  const next = (pred, timeoutMs = 15000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const i = events.findIndex(pred);
        if (i < 0) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(events.splice(i, 1)[0]);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { next, events };
}

async function addWebhook(project, url, events, secret) {
  const body = { projectKey: project, url, events };
  if (secret !== undefined) body.secret = secret;
  const r = await call(server, 'POST', '/webhook', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return assertValid('http/webhook_create_response', r.body);
}

// What a receiver does: recompute the signature over timestamp + "." + raw body with the
// secret, compare in constant time, and refuse stale timestamps.
function assertSigned(request, secret) {
  const timestamp = request.headers['x-wsd-timestamp'];
  assert.match(timestamp ?? '', /^\d+$/, 'X-Wsd-Timestamp in Unix seconds');
  assert.ok(Math.abs(Date.now() / 1000 - Number(timestamp)) < 300, 'a fresh timestamp');
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex');
  const given = request.headers['x-wsd-signature'] ?? '';
  assert.ok(given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected)),
    `signature ${given} does not verify`);
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['x-wsd-event'], request.json.type);
  assert.match(request.headers['x-wsd-delivery'] ?? '', /^[0-9A-Z]{26}\.\d+\.wh_[0-9a-f]+$/);
  assertValid('http/webhook_payload', request.json);
}

// GET /webhook once every gateway agrees: each learns a change when it reads it from the
// log (lib/admin.mjs waits the same way for projects and tokens).
async function listWebhooks(project) {
  const gateways = server.gateways ?? [server];
  const deadline = Date.now() + 10000;
  for (;;) {
    const views = await Promise.all(gateways.map(async (g) => {
      const res = await fetch(`${g.url}/webhook?projectKey=${encodeURIComponent(project)}`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      assert.equal(res.status, 200);
      return assertValid('http/webhook_list_response', await res.json());
    }));
    if (views.every((v) => JSON.stringify(v) === JSON.stringify(views[0]))) return views[0].webhooks;
    if (Date.now() > deadline) throw new Error('the gateways did not agree on the webhooks within 10 s');
    await new Promise((r) => setTimeout(r, 10));  // a polling interval, not a wait for something
  }
}

const ofType = (type) => (r) => r.json.type === type;
const isEvent = (type, pred = () => true) => (e) => e.type === type && pred(e);

// ---- the admin API ------------------------------------------------------------------------

test('webhooks are added, listed without their secret, and removed through the admin API', async () => {
  const { project } = await freshProject(server);
  const generated = await addWebhook(project, 'http://127.0.0.1:9/a', ['message', 'connect', 'message']);
  assert.match(generated.secret, /^[0-9a-f]{64}$/, 'a generated secret');
  assert.deepEqual(generated.events, ['connect', 'message'], 'sorted, without repeats');
  assert.equal(generated.projectKey, project);
  const chosen = await addWebhook(project, 'https://example.com/b', ['online'], 'a-secret-of-my-own-choosing');
  assert.equal(chosen.secret, 'a-secret-of-my-own-choosing');

  const listed = await listWebhooks(project);
  assert.deepEqual(listed.map((h) => h.id), [generated.id, chosen.id].sort());
  for (const hook of listed) assert.equal(hook.secret, undefined, 'never listed');

  assert.equal((await call(server, 'DELETE', `/webhook?projectKey=${project}&id=${generated.id}`)).status, 200);
  assert.deepEqual((await listWebhooks(project)).map((h) => h.id), [chosen.id]);
});

test('bad webhook requests get clear errors and change nothing', async () => {
  const { project } = await freshProject(server);
  const cases = [
    ['POST', '/webhook', { projectKey: project, url: 'ftp://example.com', events: ['connect'] }, 400, 'bad_request'],
    ['POST', '/webhook', { projectKey: project, url: 'http://example.com', events: [] }, 400, 'bad_request'],
    ['POST', '/webhook', { projectKey: project, url: 'http://example.com', events: ['everything'] }, 400, 'bad_request'],
    ['POST', '/webhook', { projectKey: project, url: 'http://example.com', events: ['room'], secret: 'short' }, 400,
      'bad_request'],
    ['POST', '/webhook', { projectKey: `${project}_nope`, url: 'http://example.com', events: ['room'] }, 404,
      'project_not_found'],
    ['GET', '/webhook', undefined, 400, 'bad_request'],
    ['GET', `/webhook?projectKey=${project}_nope`, undefined, 404, 'project_not_found'],
    ['DELETE', `/webhook?projectKey=${project}`, undefined, 400, 'bad_request'],
    ['DELETE', `/webhook?projectKey=${project}&id=wh_nope`, undefined, 404, 'webhook_not_found'],
    ['PATCH', '/webhook', {}, 405, 'method_not_allowed'],
  ];
  for (const [method, path, body, status, code] of cases) {
    const r = await call(server, method, path, body);
    assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}`);
    assert.equal(r.body.code, code);
  }
  const unauthorized = await call(server, 'GET', `/webhook?projectKey=${project}`, undefined, 'wrong');
  assert.equal(unauthorized.status, 401);
  assert.deepEqual(await listWebhooks(project), []);
});

test('deleting a project removes its webhooks', async () => {
  const { project } = await freshProject(server);
  await addWebhook(project, 'http://127.0.0.1:9/a', ['connect']);
  assert.equal((await deleteProject(server, project)).status, 200);
  await createProject(server, project);
  assert.deepEqual(await listWebhooks(project), []);
});

// ---- deliveries -------------------------------------------------------------------------------

test('an endpoint receives only the events it chose, each signed with its secret', async (t) => {
  const { project, token } = await freshProject(server);
  const chosenOnly = await startReceiver(t);
  const everything = await startReceiver(t);
  const secret = 'whsec-test-0123456789abcdef';
  const hook = await addWebhook(project, chosenOnly.url, ['connect', 'online', 'message'], secret);
  const all = await addWebhook(project, everything.url, ['connect', 'disconnect', 'online', 'offline', 'message', 'room']);

  const alice = await bound(server, { project, token }, 'alice');
  const bob = await bound(server, { project, token }, 'bob');
  await alice.send({ type: 'send', to: 'bob', msg: { text: 'hi' } });
  await bob.next('direct');
  await alice.send({ type: 'room_create', roomId: 'r1' });
  await alice.next('room_created');
  alice.close();
  await bob.next((m) => m.type === 'offline' && m.uid === 'alice');

  // The endpoint that chose everything sees the whole story, ending with alice's offline.
  const [offline] = await everything.matching((r) => r.json.type === 'offline' && r.json.data.uid === 'alice');
  assert.equal(offline.json.project, project);
  // Deliveries run side by side, so they may arrive out of log order: pick by content.
  const [room] = await everything.matching((r) => r.json.type === 'room' && r.json.data.action === 'create');
  assert.deepEqual({ ...room.json.data, conn: undefined }, { action: 'create', roomId: 'r1', uid: 'alice', conn: undefined });
  const [disconnect] = await everything.matching((r) => r.json.type === 'disconnect' && r.json.data.uid === 'alice');
  assert.equal(disconnect.json.data.conn, alice.connId);
  for (const r of everything.requests) assertSigned(r, all.secret);

  // The other one: two connects, two onlines, one message; nothing else, all signed.
  const connects = await chosenOnly.matching(ofType('connect'), 2);
  assert.deepEqual(connects.map((r) => r.json.data.conn).sort(), [alice.connId, bob.connId].sort());
  assert.equal(connects[0].json.data.transport, 'ws');
  const onlines = await chosenOnly.matching(ofType('online'), 2);
  assert.deepEqual(onlines.map((r) => r.json.data.uid).sort(), ['alice', 'bob']);
  const [message] = await chosenOnly.matching(ofType('message'));
  assert.deepEqual(message.json.data.msg, { text: 'hi' });
  assert.equal(message.json.data.kind, 'direct');
  assert.equal(message.json.data.from, 'alice');
  assert.equal(message.json.data.to, 'bob');
  for (const r of chosenOnly.requests) {
    assert.ok(['connect', 'online', 'message'].includes(r.json.type), `not chosen: ${r.json.type}`);
    assertSigned(r, secret);
    assert.ok(r.headers['x-wsd-delivery'].endsWith(`.${hook.id}`));
  }
  bob.close();
});

test('an endpoint that fails twice then answers 200 gets three attempts, and webhook.delivered records them', async (t) => {
  const { project, token } = await freshProject(server);
  const events = await eventStream(t, project);
  const receiver = await startReceiver(t, (_, i) => (i < 2 ? 500 : 200));
  const hook = await addWebhook(project, receiver.url, ['connect']);
  const client = await connect(server, { project, token });

  const attempts = await receiver.matching(ofType('connect'), 3);
  const delivery = attempts[0].headers['x-wsd-delivery'];
  for (const r of attempts) {
    assert.equal(r.headers['x-wsd-delivery'], delivery, 'every attempt is the same delivery');
    assert.equal(r.body, attempts[0].body, 'with the same body');
    assertSigned(r, hook.secret);
  }
  const delivered = await events.next(isEvent('webhook.delivered', (e) => e.data.delivery === delivery));
  assertValid('events/webhook.delivered', delivered);
  assert.equal(delivered.data.attempts, 3);
  assert.equal(delivered.data.status, 200);
  assert.equal(delivered.data.hook, hook.id);
  assert.equal(delivered.data.type, 'connect');
  assert.equal(delivered.data.event, attempts[0].json.id);
  assert.equal(receiver.requests.length, 3, 'no attempt after the one that succeeded');
  client.close();
});

test('an endpoint that always fails gets the configured attempts, then webhook.failed', async (t) => {
  const { project, token } = await freshProject(server);
  const events = await eventStream(t, project);
  const receiver = await startReceiver(t, () => 503);
  const hook = await addWebhook(project, receiver.url, ['online']);
  const client = await bound(server, { project, token }, 'carol');

  const failed = await events.next(isEvent('webhook.failed', (e) => e.data.hook === hook.id));
  assertValid('events/webhook.failed', failed);
  assert.equal(failed.data.attempts, ATTEMPTS);
  assert.equal(failed.data.status, 503);
  assert.equal(failed.data.error, 'HTTP 503');
  assert.equal(failed.data.type, 'online');
  assert.equal(receiver.requests.length, ATTEMPTS, 'exactly --webhook-attempts attempts');
  for (const r of receiver.requests) assert.equal(r.headers['x-wsd-delivery'], failed.data.delivery);
  client.close();
});

test('an endpoint nobody listens on fails with no status after the configured attempts', async (t) => {
  const { project, token } = await freshProject(server);
  const events = await eventStream(t, project);
  const hook = await addWebhook(project, 'http://127.0.0.1:9/nothing-here', ['connect']);
  const client = await connect(server, { project, token });
  const failed = await events.next(isEvent('webhook.failed', (e) => e.data.hook === hook.id));
  assert.equal(failed.data.status, 0);
  assert.ok(failed.data.error.length > 0);
  assert.equal(failed.data.attempts, ATTEMPTS);
  client.close();
});

test('a slow endpoint slows neither messaging nor other endpoints: 20 round trips and every other delivery complete while its answers are held', async (t) => {
  const { project, token } = await freshProject(server);
  let release;
  const released = new Promise((resolve) => (release = resolve));
  let answered = 0;
  const receiver = await startReceiver(t, async () => {
    await released;  // held until the round trips are done
    answered++;
    return 200;
  });
  const fast = await startReceiver(t);
  const events = await eventStream(t, project);
  await addWebhook(project, receiver.url, ['connect', 'online', 'message']);
  await addWebhook(project, fast.url, ['message']);
  const a = await bound(server, { project, token }, 'ping');
  const b = await bound(server, { project, token }, 'pong');
  await receiver.matching(() => true);  // a delivery is waiting on the endpoint

  for (let i = 0; i < 20; i++) {
    await a.send({ type: 'send', to: 'pong', msg: { i } });
    assert.deepEqual((await b.next('direct')).msg, { i });
    await b.send({ type: 'send', to: 'ping', msg: { i } });
    assert.deepEqual((await a.next('direct')).msg, { i });
  }
  // More deliveries than the slow endpoint may have in flight: the other endpoint still
  // gets every one of its own.
  assert.equal((await fast.matching(ofType('message'), 40)).length, 40);
  assert.equal(answered, 0, 'the slow endpoint has not answered anything yet');
  assert.ok(receiver.requests.length >= 1 && receiver.requests.length <= 16, 'at most 16 in flight to one endpoint');

  release();
  const messages = await receiver.matching(ofType('message'), 40);
  assert.equal(new Set(messages.map((r) => r.json.id)).size, 40, 'every message, once');
  await events.next(isEvent('webhook.delivered', (e) => e.data.type === 'message'));
  a.close();
  b.close();
});

test('after a restart, a delivery still being retried is sent again under the same delivery id', async (t) => {
  if (process.env.WSD_DEPLOYMENT === 'two-gateways') return t.skip('restarts the one process that dispatches');
  const own = await startServer(['--webhook-attempts', '5', '--webhook-backoff', '60']);
  t.after(() => own.dispose());
  let failFirst = true;
  const receiver = await startReceiver(t, () => {
    if (!failFirst) return 200;
    failFirst = false;
    return 500;
  });
  const { project, token } = await freshProject(own);
  const r = await call(own, 'POST', '/webhook', { projectKey: project, url: receiver.url, events: ['connect'] });
  assert.equal(r.status, 200);
  const client = await connect(own, { project, token });
  const [first] = await receiver.matching(ofType('connect'));  // answered 500; the retry is a minute away
  client.close();
  await own.restart();
  const again = await receiver.matching((x) => x.headers['x-wsd-delivery'] === first.headers['x-wsd-delivery'], 2);
  assert.equal(again[1].body, first.body);
  assertSigned(again[1], r.body.secret);
});
