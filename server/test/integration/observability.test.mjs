// The operator's endpoints: /healthz, /readyz and Prometheus /metrics. A scrape after
// some traffic shows the numbers that traffic must have moved, by exactly as much.
// In the two-gateways deployment every gateway is scraped and the counters summed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound, connect } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';
import { until } from './lib/redis.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server.dispose());

const processes = () => server.gateways ?? [server];

// Parses the text exposition format into { 'name{labels}': value } and checks every line
// is a comment or a sample, and every sample's family was declared by # TYPE first.
function parseExposition(text) {
  const samples = {};
  const types = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types[type[1]] = type[2];
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count)$/, '');
    assert.ok(types[m[1]] || types[family] === 'histogram', `sample before its # TYPE: ${line}`);
    samples[m[1] + (m[2] ?? '')] = m[3] === '+Inf' ? Infinity : Number(m[3]);
  }
  return samples;
}

async function scrapeOne(target) {
  const res = await fetch(`${target.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parseExposition(await res.text());
}

// Every process's samples (one object per gateway).
const scrapeAll = () => Promise.all(processes().map(scrapeOne));
// A sample summed over the gateways (0 where absent).
const total = (scrapes, key) => scrapes.reduce((sum, s) => sum + (s[key] ?? 0), 0);
const moved = (before, afterwards, key) => total(afterwards, key) - total(before, key);
// Waits until every gateway's inbox gauge stands `delta` from `base`. Each gateway (and
// projector) holds every inbox and stores or drains a message when it reads the event,
// which a gateway that did not take it may do after the client heard back.
const untilInboxesMoved = (base, delta, what) =>
  until(async () => (await scrapeAll()).every((g, i) => g.wsd_inbox_messages - base[i].wsd_inbox_messages === delta),
    what);

test('/healthz and /readyz answer 200 with their documented bodies', async () => {
  for (const target of processes()) {
    const health = await fetch(`${target.url}/healthz`);
    assert.equal(health.status, 200);
    assertValid('http/healthz_response', await health.json());
    const ready = await fetch(`${target.url}/readyz`);
    const body = assertValid('http/readyz_response', await ready.json());
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.equal(body.status, 'ok');
    assert.equal(body.checks.log, 'ok');
    if (target.args.includes('--redis')) assert.equal(body.checks.redis, 'ok');
  }
});

test('the health endpoints answer GET only', async () => {
  const res = await fetch(`${server.url}/readyz`, { method: 'POST', body: '{}' });
  assert.equal(res.status, 405);
  assertValid('http/error_response', await res.json());
});

test('a scrape after traffic shows connections, messages, log appends and inboxes moved by as much', async () => {
  const p = await freshProject(server);
  const before = await scrapeAll();

  const alice = await bound(server, { ...p, transport: 'ws' }, 'alice');
  const bob = await bound(server, { ...p, transport: 'sse' }, 'bob');
  const carol = await bound(server, { ...p, transport: 'poll' }, 'carol');
  await alice.send({ type: 'send', to: 'bob', msg: 'hi bob' });
  await bob.next('direct');
  await alice.next('send_success');
  await alice.send({ type: 'send', to: 'nobody', msg: 'kept for later' });  // stored: the inbox grows by one
  assert.equal((await alice.next('send_success')).offline, true);
  await alice.send('not json');
  await alice.next('error');

  const during = await scrapeAll();
  for (const transport of ['ws', 'sse', 'poll']) {
    assert.equal(moved(before, during, `wsd_connections{transport="${transport}"}`), 1, transport);
    assert.equal(moved(before, during, `wsd_connections_opened_total{transport="${transport}"}`), 1, transport);
  }
  assert.equal(moved(before, during, 'wsd_messages_in_total{type="bind"}'), 3);
  assert.equal(moved(before, during, 'wsd_messages_in_total{type="send"}'), 2);
  assert.equal(moved(before, during, 'wsd_messages_in_total{type="invalid"}'), 1);
  assert.equal(moved(before, during, 'wsd_messages_out_total{type="bind_success"}'), 3);
  assert.equal(moved(before, during, 'wsd_messages_out_total{type="send_success"}'), 2);
  assert.equal(moved(before, during, 'wsd_messages_out_total{type="direct"}'), 1);
  assert.equal(moved(before, during, 'wsd_messages_out_total{type="connected"}'), 3);
  assert.ok(moved(before, during, 'wsd_messages_out_total{type="online"}') >= 2, 'presence notifications counted');
  assert.ok(moved(before, during, 'wsd_messages_out_total{type="error"}') >= 1);
  // 3 conn.open + 3 uid.bind + 2 message.direct, at least (node.alive may add more).
  assert.ok(moved(before, during, 'wsd_log_append_seconds_count') >= 8);
  for (const s of during) {
    assert.equal(s['wsd_log_append_seconds_bucket{le="+Inf"}'], s.wsd_log_append_seconds_count);
    assert.ok(s.wsd_log_append_seconds_sum > 0);
  }
  await untilInboxesMoved(before, 1, 'the inbox gauge to rise by one on every gateway');

  alice.close();
  bob.close();
  carol.close();
  // Closed sessions leave the gauge once their transport notices: a WebSocket at once, an
  // SSE session after its resume window (5 s). (A polling session lives on until it has
  // not been polled for 60 s.) The counters stay.
  const deadline = Date.now() + 15000;
  for (;;) {
    const afterwards = await scrapeAll();
    const live = ['ws', 'sse'].map((t) => moved(before, afterwards, `wsd_connections{transport="${t}"}`));
    if (live.every((n) => n === 0)) {
      assert.equal(moved(before, afterwards, 'wsd_connections_opened_total{transport="ws"}'), 1);
      break;
    }
    if (Date.now() > deadline) assert.fail(`sessions still counted as live: ${live}`);
    await new Promise((r) => setTimeout(r, 50));  // a polling interval, not a wait for something
  }
});

test('a bound uid coming back drains its inbox, and the gauge says so', async () => {
  const p = await freshProject(server);
  const alice = await bound(server, { ...p, transport: 'ws' }, 'alice');
  const base = await scrapeAll();
  // Each gateway's gauge is awaited at both steps: one that did not take the message
  // stores and drains it at its own pace.
  await alice.send({ type: 'send', to: 'dave', msg: 'one' });
  assert.equal((await alice.next('send_success')).offline, true);
  await untilInboxesMoved(base, 1, 'the inbox gauge to rise by one on every gateway');
  const dave = await bound(server, { ...p, transport: 'ws' }, 'dave');
  assert.equal((await dave.next('direct')).msg, 'one');
  await untilInboxesMoved(base, 0, 'the inbox gauge to drop back by one on every gateway');
  alice.close();
  dave.close();
});

test('mail requests are counted by outcome', async () => {
  const p = await freshProject(server);
  const before = await scrapeAll();
  const bad = await fetch(`${server.url}/mail?project=${p.project}&token=${p.token}`, { method: 'POST', body: '[1]' });
  assert.equal(bad.status, 400);
  const wrongToken = await fetch(`${server.url}/mail?project=${p.project}&token=nope`, {
    method: 'POST', body: JSON.stringify({ to: 'a@example.com', subject: 's', text: 't' }),
  });
  assert.equal(wrongToken.status, 401);
  const afterwards = await scrapeAll();
  assert.equal(moved(before, afterwards, 'wsd_mail_requests_total{outcome="bad_request"}'), 1);
  assert.equal(moved(before, afterwards, 'wsd_mail_requests_total{outcome="invalid_token"}'), 1);
  assert.equal(total(afterwards, 'wsd_mail_requests_total{outcome="sent"}'), 0);
});

test('with Kafka, the consumer lag of every partition is shown', { skip: !process.env.WSD_KAFKA_BROKERS }, async () => {
  const [s] = await scrapeAll();
  const partitions = Object.keys(s).filter((k) => k.startsWith('wsd_log_consumer_lag{'));
  assert.deepEqual(partitions.sort(), ['wsd_log_consumer_lag{partition="0"}', 'wsd_log_consumer_lag{partition="1"}']);
  for (const key of partitions) assert.ok(s[key] >= 0);
});

test('the embedded log has no consumer lag to show', { skip: !!process.env.WSD_KAFKA_BROKERS }, async () => {
  const [s] = await scrapeAll();
  assert.equal(Object.keys(s).some((k) => k.startsWith('wsd_log_consumer_lag')), false);
  assert.equal(Object.keys(s).some((k) => k.startsWith('wsd_projector_lag')), false);
});

test('a client message of each kind shows under its own type', async () => {
  const p = await freshProject(server);
  const c = await connect(server, { ...p, transport: 'ws' });
  const before = await scrapeAll();
  await c.send({ type: 'ping' });
  await c.next('pong');
  await c.send({ type: 'list' });
  await c.next('list');
  const afterwards = await scrapeAll();
  assert.equal(moved(before, afterwards, 'wsd_messages_in_total{type="ping"}'), 1);
  assert.equal(moved(before, afterwards, 'wsd_messages_in_total{type="list"}'), 1);
  assert.equal(moved(before, afterwards, 'wsd_messages_out_total{type="pong"}'), 1);
  assert.equal(moved(before, afterwards, 'wsd_messages_out_total{type="list"}'), 1);
  c.close();
});
