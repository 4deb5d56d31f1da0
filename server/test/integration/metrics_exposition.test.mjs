// /metrics read by Prometheus' own text-format parser (prometheus_client, via
// lib/prometheus_parse.py): every family parses and declares its HELP and TYPE, names
// follow Prometheus' conventions (base units in the name, _total on counters, bounded
// labels), the standard process_* metrics are there, and real traffic (WebSocket, SSE
// and polling clients, a webhook delivery, a mail through a real SMTP server) moves the
// series that count it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { startServer } from './lib/server.mjs';
import { startSmtpSink } from './lib/smtp.mjs';
import {
  driveTraffic, parseWithPrometheus, processesOf, sampleSum, scrapeAll, scrapeText, startHookReceiver, untilScraped,
} from './lib/metrics.mjs';

// Named so that a two-gateways deployment starts its webhook dispatcher (`wsd hooks`) too.
const WEBHOOKS = ['--webhook-attempts', '3'];

let server;
let sink;
let hooks;
before(async () => {
  sink = await startSmtpSink();
  hooks = await startHookReceiver();
  server = await startServer(['--smtp-url', sink.url, ...WEBHOOKS]);
});
after(async () => {
  await server?.dispose();
  await sink?.stop();
  await hooks?.stop();
});

// Labels that would give each user, connection or project a series of its own.
const UNBOUNDED_LABELS = ['uid', 'conn', 'connId', 'project', 'projectKey', 'token', 'ip', 'to', 'from'];
// Units a name must not use: Prometheus wants base units (seconds, bytes).
const NON_BASE_UNITS = /_(ms|milliseconds|microseconds|us|ns|minutes|hours|kb|mb|gb|kilobytes|megabytes|bits)(_|$)/;

function checkConventions(families) {
  assert.ok(families.length > 10, `only ${families.length} families`);
  for (const f of families) {
    assert.ok(f.helpLine && f.help.length > 0, `${f.name}: no # HELP`);
    assert.ok(f.typeLine && f.type !== 'unknown', `${f.name}: no # TYPE`);
    assert.match(f.name, /^(wsd|process)_[a-z0-9_]+$/, `${f.name}: neither wsd_ nor process_, or not snake case`);
    assert.doesNotMatch(f.name, NON_BASE_UNITS, `${f.name}: not in base units`);
    for (const s of f.samples) {
      if (f.type === 'counter') assert.match(s.name, /_total$/, `${s.name}: a counter's sample must end in _total`);
      else assert.doesNotMatch(s.name, /_total$/, `${s.name}: only counters end in _total (this is a ${f.type})`);
      for (const label of Object.keys(s.labels)) {
        assert.ok(!UNBOUNDED_LABELS.includes(label), `${s.name}: label ${label} is unbounded`);
      }
    }
    if (f.type === 'histogram') assert.match(f.name, /_(seconds|bytes)$/, `${f.name}: a histogram of what unit?`);
    if (/(latency|duration|lag)_/.test(f.name) || /_time_/.test(f.name)) {
      assert.match(f.name, /_(seconds|seconds_total)$/, `${f.name}: a time must be in seconds`);
    }
  }
}

const family = (families, name) => families.find((f) => f.name === name);

test('a fresh server: every family parses with Prometheus\' parser, with HELP, TYPE and its conventions', async () => {
  for (const target of processesOf(server)) checkConventions(await parseWithPrometheus(await scrapeText(target)));
});

test('text the parser refuses fails the check (the parser is really consulted)', async () => {
  await assert.rejects(parseWithPrometheus('# TYPE x counter\nx_total{a="b" 1\n'), /refused/);
});

test('the standard process_* metrics describe this process', async () => {
  const [families] = await scrapeAll(server);
  const value = (name) => {
    const f = family(families, name.replace(/_total$/, ''));
    assert.ok(f, `${name} missing`);
    assert.equal(f.samples.length, 1, name);
    return f.samples[0].value;
  };
  assert.equal(family(families, 'process_cpu_seconds').type, 'counter');
  const rss = value('process_resident_memory_bytes');
  assert.ok(rss > 1 << 20 && rss < value('process_virtual_memory_bytes'), `rss ${rss}`);
  const open = value('process_open_fds');
  assert.ok(open >= 3 && open <= value('process_max_fds'), `open fds ${open}`);
  const started = value('process_start_time_seconds');
  const now = Date.now() / 1000;
  assert.ok(started <= now + 1 && started > now - 600, `start time ${started}, now ${now}`);
  // Counted in clock ticks (10 ms): a server this fresh may not have used one yet.
  const cpu = value('process_cpu_seconds_total');
  assert.ok(cpu >= 0 && cpu <= (now - started + 1) * availableParallelism(), `cpu ${cpu} s`);
});

test('after real traffic the series that count it moved, and the text still parses', async () => {
  const before = await scrapeAll(server);
  const sum = (scrapes, name, labels) => scrapes.reduce((n, f) => n + sampleSum(f, name, labels), 0);
  const moved = (afterwards, name, labels) => sum(afterwards, name, labels) - sum(before, name, labels);

  const { bob, carol } = await driveTraffic(server, hooks.url);
  // Delivery and mail outcomes are recorded in the log once done: every gateway counts them.
  await untilScraped(server, (all) => all.every((f, i) =>
    sampleSum(f, 'wsd_webhook_deliveries_total', { outcome: 'delivered' }) >
      sampleSum(before[i], 'wsd_webhook_deliveries_total', { outcome: 'delivered' }) &&
    sampleSum(f, 'wsd_mail_deliveries_total', { outcome: 'sent' }) >
      sampleSum(before[i], 'wsd_mail_deliveries_total', { outcome: 'sent' }) &&
    sampleSum(f, 'wsd_disconnects_total', { reason: 'client_closed' }) >=
      sampleSum(before[i], 'wsd_disconnects_total', { reason: 'client_closed' })),
  'the webhook delivery and the mail to be counted');
  await untilScraped(server, (all) => moved(all, 'wsd_disconnects_total', {}) >= 1, 'the WebSocket close to be counted');
  const afterwards = await scrapeAll(server);
  for (const families of afterwards) checkConventions(families);

  assert.ok(hooks.received.length >= 1, 'the receiver got the delivery');
  assert.equal((await sink.next()).rcptTos[0], 'ops@example.com');
  for (const transport of ['sse', 'poll']) {
    assert.equal(moved(afterwards, 'wsd_connections', { transport }), 1, transport);
  }
  assert.equal(moved(afterwards, 'wsd_connections_opened_total', { transport: 'ws' }), 1);
  assert.equal(moved(afterwards, 'wsd_messages_in_total', { type: 'bind' }), 3);
  assert.equal(moved(afterwards, 'wsd_messages_in_total', { type: 'send' }), 2);
  assert.equal(moved(afterwards, 'wsd_messages_out_total', { type: 'direct' }), 2);
  assert.equal(moved(afterwards, 'wsd_messages_out_total', { type: 'connected' }), 3);
  assert.equal(moved(afterwards, 'wsd_mail_requests_total', { outcome: 'sent' }), 1);
  assert.equal(moved(afterwards, 'wsd_disconnects_total', {}), 1, 'the one WebSocket that closed');
  // ws's close() sends a close frame without a code: RFC 6455's 1005, "no status received".
  assert.equal(moved(afterwards, 'wsd_disconnects_total', { reason: 'client_closed', code: '1005' }), 1);
  assert.ok(moved(afterwards, 'wsd_log_append_seconds_count', {}) >= 10);
  assert.ok(moved(afterwards, 'wsd_log_append_seconds_bucket', { le: '+Inf' }) >= 10);
  // The SSE client's direct message is kept for a resume: held output, in bytes.
  assert.ok(sum(afterwards, 'wsd_held_output_bytes', {}) >= Buffer.byteLength('hi bob'));
  bob.close();
  carol.close();
});
