// wslog report against the log of a real wsd: clients send messages of three kinds, mail
// goes to a real SMTP server (one sent, one over the limit), a webhook endpoint hears the
// presence changes; then the page wslog draws is opened in Debian's chromium
// (playwright-core), offline. Every chart must have drawn, and every number on it must
// be what the log holds (counted here from `wslog export`). A screenshot goes to
// WSLOG_SCREENSHOTS (by default build/wslog-report).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const LIB = '../../../../server/test/integration/lib';
const { startServer } = await import(`${LIB}/server.mjs`);
const { call, createProject, issueToken } = await import(`${LIB}/admin.mjs`);
const { bound } = await import(`${LIB}/clients.mjs`);
const { startSmtpSink, postMail } = await import(`${LIB}/smtp.mjs`);

const WSLOG = process.env.WSLOG_BIN ?? new URL('../../../../build/tools/wslog/wslog', import.meta.url).pathname;
const CHROMIUM = process.env.WSD_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.WSLOG_SCREENSHOTS ?? new URL('../../../../build/wslog-report', import.meta.url).pathname;

function wslog(args) {
  return new Promise((resolve, reject) => {
    execFile(WSLOG, args, { maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      (error ? reject(new Error(`wslog ${args.join(' ')}: ${stderr}`)) : resolve({ stdout, stderr })));
  });
}

// A webhook endpoint on loopback that takes every delivery.
async function startReceiver() {
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${http.address().port}/hooks`, close: () => http.close() };
}

// done() resolves once the admin event stream of `project` has shown, of each type named
// in `counts`, at least that many events.
async function awaitEvents(server, project, counts) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/admin/events?project=${project}`, {
    headers: { authorization: `Bearer ${server.adminToken}` },
    signal: controller.signal,
  });
  const decoder = new TextDecoder();
  let text = '';
  const seen = (type) => text.split(`"type":"${type}"`).length - 1;
  const ready = (async () => {
    for await (const chunk of res.body) {
      text += decoder.decode(chunk, { stream: true });
      if (Object.entries(counts).every(([type, n]) => seen(type) >= n)) break;
    }
  })();
  return {
    done: () => ready.finally(() => controller.abort()),
  };
}

let server;
let sink;
let hooks;
let logDir;
const work = mkdtempSync(join(tmpdir(), 'wslog-report-'));

before(async () => {
  sink = await startSmtpSink();
  hooks = await startReceiver();
  server = await startServer(['--smtp-url', sink.url, '--mail-limit', '1', '--mail-window', '60']);
  logDir = join(server.dataDir, 'log');
  await createProject(server, 'demo', 'Demo');
  const token = await issueToken(server, 'demo');
  const hook = await call(server, 'POST', '/webhook', { projectKey: 'demo', url: hooks.url, events: ['online'] });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));
  // alice, bob and carol coming online are three webhook deliveries.
  const watch = await awaitEvents(server, 'demo', { 'mail.sent': 1, 'mail.rejected': 1, 'webhook.delivered': 3 });
  const p = { project: 'demo', token };
  const alice = await bound(server, { ...p, transport: 'ws', name: 'alice' }, 'alice');
  const bob = await bound(server, { ...p, transport: 'sse', name: 'bob' }, 'bob');
  const carol = await bound(server, { ...p, transport: 'ws', name: 'carol' }, 'carol');
  for (let i = 0; i < 5; i++) {
    await alice.send({ type: 'send', to: 'bob', msg: `hello ${i}` });
    await alice.next('send_success');
  }
  await bob.send({ type: 'broadcast', msg: 'to everyone' });
  await bob.next('broadcast');
  await carol.send({ type: 'multicast', to: ['alice', 'bob'], msg: 'to two' });
  await carol.next('send_success');
  const mail = { to: 'user@example.com', subject: 'hello', text: 'hi' };
  assert.equal((await postMail(server, p, mail)).status, 200);
  assert.equal((await postMail(server, p, mail)).status, 429);
  carol.close();
  await alice.next((m) => m.type === 'offline' && m.uid === 'carol');
  await watch.done();
  for (const c of [alice, bob]) c.close();
});

after(async () => {
  await server?.dispose();
  await sink?.stop();
  hooks?.close();
  rmSync(work, { recursive: true, force: true });
});

// What the page must show, counted from the exported events.
async function expectedFromLog() {
  const events = (await wslog(['export', '--log-dir', logDir])).stdout.split('\n').filter(Boolean).map(JSON.parse);
  const count = (pred) => events.filter(pred).length;
  const messages = {};
  for (const e of events) if (/^message\.(direct|multicast|broadcast)$|^room\.message$/.test(e.type)) {
    messages[e.type] = (messages[e.type] ?? 0) + 1;
  }
  const uidOf = new Map(events.filter((e) => e.type === 'uid.bind').map((e) => [e.conn, `${e.project}/${e.data.uid}`]));
  const senders = {};
  for (const e of events) if (messages[e.type] && uidOf.has(e.conn)) {
    senders[uidOf.get(e.conn)] = (senders[uidOf.get(e.conn)] ?? 0) + 1;
  }
  return {
    events: events.length,
    messages,
    senders,
    mail: Object.fromEntries(['accepted', 'rejected', 'sent', 'failed'].map((o) => [o, count((e) => e.type === `mail.${o}`)])),
    webhooks: Object.fromEntries(['delivered', 'failed'].map((o) => [o, count((e) => e.type === `webhook.${o}`)])),
  };
}

test('the report draws every chart from the log, offline, with the numbers the log holds', async () => {
  const expected = await expectedFromLog();
  assert.deepEqual(expected.messages, { 'message.direct': 5, 'message.broadcast': 1, 'message.multicast': 1 });
  assert.deepEqual(expected.senders, { 'demo/alice': 5, 'demo/bob': 1, 'demo/carol': 1 });
  const file = join(work, 'report.html');
  await wslog(['report', '--log-dir', logDir, '--output', file]);

  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (apt-get install chromium)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href);
    assert.deepEqual(requests, [pathToFileURL(file).href], 'the page asks for nothing but itself');

    const drawn = await page.evaluate(() => {
      const charts = {};
      for (const svg of document.querySelectorAll('svg.chart')) {
        const box = svg.getBoundingClientRect();
        const marks = [...svg.querySelectorAll('.point, .bar')].map((m) => ({
          series: m.dataset.series, x: m.dataset.x, value: Number(m.dataset.value),
          visible: m.getBoundingClientRect().width > 0,
        }));
        charts[svg.dataset.chart] = { width: box.width, height: box.height, marks };
      }
      const metrics = Object.fromEntries([...document.querySelectorAll('.metric')].map((m) =>
        [m.dataset.metric, Number(m.querySelector('b').textContent)]));
      return { charts, metrics };
    });
    assert.deepEqual(Object.keys(drawn.charts).sort(), ['connections', 'mail', 'messages', 'online', 'senders', 'webhooks']);
    for (const [name, chart] of Object.entries(drawn.charts)) {
      assert.ok(chart.width > 300 && chart.height > 30, `${name} has a size: ${chart.width}x${chart.height}`);
      assert.ok(chart.marks.length > 0 && chart.marks.every((m) => m.visible), `${name} drew its data points`);
    }
    const sum = (chart, series) => drawn.charts[chart].marks.filter((m) => m.series === series)
      .reduce((a, m) => a + m.value, 0);
    for (const [type, n] of Object.entries(expected.messages)) assert.equal(sum('messages', type), n, type);
    assert.deepEqual(new Set(drawn.charts.messages.marks.map((m) => m.series)), new Set(Object.keys(expected.messages)));
    const bars = (chart) => Object.fromEntries(drawn.charts[chart].marks.map((m) => [m.x, m.value]));
    assert.deepEqual(bars('senders'), expected.senders);
    assert.deepEqual(bars('mail'), expected.mail);
    assert.deepEqual(expected.mail.sent, 1);
    assert.deepEqual(expected.mail.rejected, 1);
    assert.deepEqual(bars('webhooks'), expected.webhooks);
    assert.deepEqual(expected.webhooks, { delivered: 3, failed: 0 });
    // Three connections open at once, three uids online at once (carol left later).
    assert.equal(Math.max(...drawn.charts.connections.marks.map((m) => m.value)), 3);
    assert.equal(Math.max(...drawn.charts.online.marks.map((m) => m.value)), 3);
    assert.deepEqual(drawn.metrics, {
      events: expected.events, messages: 7, projects: 1, uids: 3, 'peak-connections': 3, 'peak-online': 3,
      mails: expected.mail.accepted + expected.mail.rejected + expected.mail.sent + expected.mail.failed,
      webhooks: expected.webhooks.delivered + expected.webhooks.failed,
    });
    assert.deepEqual(errors, []);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
