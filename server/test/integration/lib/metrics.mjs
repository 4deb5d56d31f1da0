// /metrics as an operator's Prometheus sees it: scraped over HTTP, parsed by Prometheus'
// own text-format parser (lib/prometheus_parse.py, prometheus_client from PyPI in the
// tests' virtualenv: tools/ci/python-venv.sh), and the traffic that moves every family a
// dashboard shows: a WebSocket, an SSE and a polling client, a direct message, a closed
// connection, a webhook delivery and a mail through a real SMTP server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { call, freshProject } from './admin.mjs';
import { bound } from './clients.mjs';
import { until } from './redis.mjs';
import { postMail } from './smtp.mjs';

const ROOT = new URL('../../../../', import.meta.url).pathname;
// The virtualenv the CTest registration names; by hand, the build tree's.
const VENV = process.env.TEST_PYTHON_VENV ?? `${ROOT}build/venv-ci`;
const PARSER = new URL('./prometheus_parse.py', import.meta.url).pathname;

// Every process that serves /metrics in this deployment (one, or each gateway).
export const processesOf = (server) => server.gateways ?? [server];

export async function scrapeText(target) {
  const res = await fetch(`${target.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return res.text();
}

// Resolves with the families prometheus_client read from `text`: [{name, type, help,
// helpLine, typeLine, samples: [{name, labels, value}]}]; rejects with the parser's
// complaint when it refuses the text.
export function parseWithPrometheus(text) {
  const proc = spawn('bash', [`${ROOT}tools/ci/python-run.sh`, VENV, PARSER], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c) => (out += c));
  proc.stderr.on('data', (c) => (err += c));
  proc.stdin.end(text);
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) reject(new Error(`prometheus_client refused /metrics (status ${code}): ${err}`));
      else resolve(JSON.parse(out));
    });
  });
}

// Parsed families of every process, one array per process.
export const scrapeAll = async (server) =>
  Promise.all(processesOf(server).map(async (p) => parseWithPrometheus(await scrapeText(p))));

// The value of the sample named `name` whose labels include `labels`, summed over the
// matching samples (0 when there is none).
export function sampleSum(families, name, labels = {}) {
  let sum = 0;
  for (const family of families) {
    for (const s of family.samples) {
      if (s.name !== name) continue;
      if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += Number(s.value);
    }
  }
  return sum;
}

// A webhook endpoint on loopback that answers 200 and counts what it got.
export async function startHookReceiver() {
  const received = [];
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(req.headers['x-wsd-delivery']);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/hooks`,
    received,
    stop: () => {
      http.closeAllConnections();
      return new Promise((resolve) => http.close(resolve));
    },
  };
}

// Drives what every family a dashboard shows should count, on `server` (started with
// --smtp-url naming a sink), a webhook to `hookUrl` included. Leaves the SSE and the
// polling client open (so the connection gauges hold them) and returns them.
export async function driveTraffic(server, hookUrl) {
  const p = await freshProject(server);
  const hook = await call(server, 'POST', '/webhook', { projectKey: p.project, url: hookUrl, events: ['connect'] });
  assert.equal(hook.status, 200, JSON.stringify(hook.body));

  const alice = await bound(server, { ...p, transport: 'ws' }, 'alice');
  const bob = await bound(server, { ...p, transport: 'sse' }, 'bob');
  const carol = await bound(server, { ...p, transport: 'poll' }, 'carol');
  await alice.send({ type: 'send', to: 'bob', msg: 'hi bob' });
  await bob.next('direct');
  await alice.next('send_success');
  await carol.send({ type: 'send', to: 'alice', msg: 'hi alice' });
  await alice.next('direct');

  const mail = await postMail(server, p, { to: 'ops@example.com', subject: 'metrics', text: 'hello' });
  assert.equal(mail.status, 200, JSON.stringify(mail.body));
  alice.close();
  return { project: p, bob, carol };
}

// Waits until `check(familiesOfEveryProcess)` holds.
export const untilScraped = (server, check, what) => until(async () => check(await scrapeAll(server)), what);
