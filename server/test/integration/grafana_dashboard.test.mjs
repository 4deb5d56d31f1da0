// deploy/grafana/wsd.json, the dashboard operators import: it is an importable Grafana
// dashboard (a ${DS_PROMETHEUS} input, every panel on it), and every metric any panel's
// query names is served by a running wsd once real traffic went through it, so every
// panel has data. The only exceptions are what the deployment lacks, and they are
// checked to be absent for that reason: Kafka's consumer lag without Kafka, and the
// projector's lag where no projector runs in the gateway's process. Given Kafka and Redis
// (run-with-kafka.sh), a single wsd runs its projector too (--redis), so that every panel
// is checked there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from './lib/server.mjs';
import { startSmtpSink } from './lib/smtp.mjs';
import { driveTraffic, scrapeAll, startHookReceiver, untilScraped, sampleSum } from './lib/metrics.mjs';

// Named so that a two-gateways deployment starts its webhook dispatcher (`wsd hooks`) too.
const WEBHOOKS = ['--webhook-attempts', '3'];
import { freshRedisUrl } from './lib/redis.mjs';

const DASHBOARD = new URL('../../../deploy/grafana/wsd.json', import.meta.url);
const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8'));
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');

// PromQL words that are neither metrics nor functions.
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or',
  'unless', 'offset', 'inf', 'nan']);

// The metric names a PromQL expression reads: what is left once strings, label matchers,
// range selectors, offsets and grouping clauses are taken out, minus functions and keywords.
function metricNames(expr) {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/gi, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set();
  for (const m of bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)) {
    if (!m[2] && !KEYWORDS.has(m[1].toLowerCase())) names.add(m[1]);
  }
  return [...names];
}

// Every metric named by a panel query or a template variable, with where it is used.
function namesInDashboard() {
  const uses = new Map();
  const note = (name, where) => uses.set(name, [...(uses.get(name) ?? []), where]);
  for (const p of panels) {
    for (const t of p.targets) for (const name of metricNames(t.expr)) note(name, `panel "${p.title}"`);
  }
  for (const v of dashboard.templating.list) {
    const m = /^label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,/.exec(v.query?.query ?? v.query);
    assert.ok(m, `variable ${v.name}: not a label_values(metric, label) query`);
    note(m[1], `variable $${v.name}`);
  }
  return uses;
}

let server;
let sink;
let hooks;
before(async () => {
  sink = await startSmtpSink();
  hooks = await startHookReceiver();
  const single = process.env.WSD_KAFKA_BROKERS && process.env.WSD_REDIS_URL && process.env.WSD_DEPLOYMENT !== 'two-gateways';
  const projector = single ? ['--redis', await freshRedisUrl()] : [];
  server = await startServer(['--smtp-url', sink.url, ...WEBHOOKS, ...projector]);
});
after(async () => {
  await server?.dispose();
  await sink?.stop();
  await hooks?.stop();
});

test('the metric names are read out of PromQL as Prometheus would read them', () => {
  assert.deepEqual(metricNames('histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{instance=~"$i"}[$__rate_interval])))'),
    ['a_seconds_bucket']);
  assert.deepEqual(metricNames('time() - process_start_time_seconds{x="by (y)"}'), ['process_start_time_seconds']);
  assert.deepEqual(metricNames('max by (partition) (lag_a) / on (partition) group_left lag_b offset 5m'),
    ['lag_a', 'lag_b']);
});

test('the dashboard imports: schema 39, a ${DS_PROMETHEUS} input every panel and query uses, unique ids', () => {
  assert.ok(dashboard.schemaVersion >= 36 && dashboard.schemaVersion <= 41, `schemaVersion ${dashboard.schemaVersion}`);
  assert.equal(dashboard.id, null, 'an exported dashboard carries no database id');
  assert.deepEqual(dashboard.__inputs.map((i) => [i.name, i.type, i.pluginId]),
    [['DS_PROMETHEUS', 'datasource', 'prometheus']]);
  const ids = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
  assert.ok(panels.length >= 12, `${panels.length} panels`);
  for (const p of panels) {
    assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${DS_PROMETHEUS}' }, p.title);
    assert.ok(p.targets.length > 0, `${p.title}: no query`);
    for (const t of p.targets) {
      assert.equal(t.datasource.uid, '${DS_PROMETHEUS}', p.title);
      assert.ok(metricNames(t.expr).length > 0, `${p.title}: ${t.expr} reads no metric`);
    }
    for (const k of ['x', 'y', 'w', 'h']) assert.ok(Number.isInteger(p.gridPos[k]), `${p.title}: gridPos.${k}`);
  }
});

test('the dashboard shows what operators asked for', () => {
  const all = [...namesInDashboard().keys()];
  for (const name of ['wsd_connections', 'wsd_messages_in_total', 'wsd_messages_out_total', 'wsd_disconnects_total',
    'wsd_log_append_seconds_bucket', 'wsd_projector_lag', 'wsd_projector_lag_seconds', 'wsd_webhook_deliveries_total',
    'wsd_mail_deliveries_total', 'wsd_held_output_bytes', 'process_cpu_seconds_total',
    'process_resident_memory_bytes', 'process_open_fds', 'process_max_fds']) {
    assert.ok(all.includes(name), `no panel shows ${name}`);
  }
  const quantiles = panels.flatMap((p) => p.targets.map((t) => t.expr)).filter((e) => e.startsWith('histogram_quantile('));
  assert.deepEqual(quantiles.map((e) => /^histogram_quantile\(([0-9.]+),/.exec(e)[1]).sort(), ['0.5', '0.99']);
});

test('after real traffic every metric a panel reads is on /metrics, so no panel is empty', async () => {
  const gateways = server.gateways ?? [server];
  const kafka = gateways.some((g) => g.args.includes('--kafka-brokers'));
  // A deployment of several gateways runs its projector as `wsd project`, which serves no metrics.
  const projectorInProcess = !server.gateways && server.args.includes('--redis');
  const { bob, carol } = await driveTraffic(server, hooks.url);
  try {
    // Outcomes in the log count on every gateway; a close, on the one that held the session;
    // a projector's lag once the consumer group gave it its partitions.
    await untilScraped(server, (all) => all.every((f) =>
      sampleSum(f, 'wsd_webhook_deliveries_total', { outcome: 'delivered' }) >= 1 &&
      sampleSum(f, 'wsd_mail_deliveries_total', { outcome: 'sent' }) >= 1) &&
      all.some((f) => sampleSum(f, 'wsd_disconnects_total') >= 1) &&
      (!(kafka && projectorInProcess) ||
        all.some((f) => f.some((family) => family.samples.some((sample) => sample.name === 'wsd_projector_lag')))), 'the delivery, the mail, the close and the projector\'s partitions to be counted');
    const scrapes = await scrapeAll(server);
    const served = new Set(scrapes.flatMap((families) => families.flatMap((f) => f.samples.map((s) => s.name))));
    const lacking = new Set([...(kafka ? [] : ['wsd_log_consumer_lag']),
      ...(kafka && projectorInProcess ? [] : ['wsd_projector_lag', 'wsd_projector_lag_seconds'])]);
    for (const [name, where] of namesInDashboard()) {
      if (lacking.has(name)) {
        assert.ok(!served.has(name), `${name} is served after all: drop it from the exceptions`);
      } else {
        assert.ok(served.has(name), `${name} (${where.join(', ')}) is not on /metrics`);
      }
    }
  } finally {
    bob.close();  // also when a check failed: an open SSE client would retry for ever
    carol.close();
  }
});
