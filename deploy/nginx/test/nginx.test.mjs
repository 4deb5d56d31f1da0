// deploy/nginx/wsd.conf, end to end: Debian's nginx terminates TLS in front of a real
// wsd, and WebSocket (Node's `ws`), SSE (`eventsource`) and long-polling (fetch) clients
// work through it over https:// and wss://, messages between two clients included.
// Started by run.sh, which makes the certificate and trusts it (NODE_EXTRA_CA_CERTS):
// the clients verify the certificate and the host name as they would a real one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startServer } from '../../../server/test/integration/lib/server.mjs';
import { freshProject } from '../../../server/test/integration/lib/admin.mjs';
import { bound, connect, TRANSPORTS } from '../../../server/test/integration/lib/clients.mjs';
import { assertValid } from '../../../server/test/integration/lib/schemas.mjs';

const DIR = process.env.WSD_NGINX_DIR;
// A proxy that holds a response back makes a test wait, not hang: each fails after this.
const LIMIT = { timeout: 20000 };
const CONF = new URL('../wsd.conf', import.meta.url).pathname;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// wsd.conf with only what a loopback test must change: the listen lines, the upstream
// and the certificate paths. Each must be found exactly once, so an edit of the file
// that the test would silently miss fails here instead.
export function renderSite(text, { httpsPort, httpPort, upstream, cert, key }) {
  const replacements = [
    [/^ {4}listen 443 ssl http2;$/m, `    listen 127.0.0.1:${httpsPort} ssl http2;`],
    [/^ {4}listen \[::\]:443 ssl http2;\n/m, ''],
    [/^ {4}listen 80;$/m, `    listen 127.0.0.1:${httpPort};`],
    [/^ {4}listen \[::\]:80;\n/m, ''],
    [/^ {4}server 127\.0\.0\.1:8080;$/m, `    server ${upstream};`],
    [/^ {4}ssl_certificate {5}\/etc\/ssl\/wsd\/fullchain\.pem;$/m, `    ssl_certificate ${cert};`],
    [/^ {4}ssl_certificate_key \/etc\/ssl\/wsd\/privkey\.pem;$/m, `    ssl_certificate_key ${key};`],
  ];
  for (const [pattern, replacement] of replacements) {
    const count = (text.match(new RegExp(pattern.source, 'gm')) ?? []).length;
    assert.equal(count, 1, `deploy/nginx/wsd.conf: expected exactly one match of ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  return text;
}

// A main configuration of the test's own: everything nginx writes stays under DIR.
function mainConfig(site) {
  const user = process.getuid() === 0 ? 'user root;\n' : '';  // workers write DIR/tmp
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `    ${t}_temp_path ${join(DIR, 'tmp', t)};`)
    .join('\n');
  return `${user}daemon off;
worker_processes 1;
pid ${join(DIR, 'nginx.pid')};
error_log ${join(DIR, 'error.log')} warn;
events { worker_connections 256; }
http {
    access_log ${join(DIR, 'access.log')};
${temp}
    include ${site};
}
`;
}

let wsd;
let nginx;
let nginxExited;
let proxy;  // what the client library calls a server: https and wss URLs through nginx
let httpPort;

async function untilServing(url) {
  const deadline = Date.now() + 10000;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (nginx.exitCode !== null) throw new Error(`nginx exited:\n${readFileSync(join(DIR, 'error.log'), 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`nginx did not serve ${url} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));  // a polling interval, not a wait for something
  }
}

before(async () => {
  wsd = await startServer(['--heartbeat-interval', '0.5']);
  const httpsPort = await freePort();
  httpPort = await freePort();
  mkdirSync(join(DIR, 'tmp'), { recursive: true });
  const site = join(DIR, 'wsd.conf');
  writeFileSync(site, renderSite(readFileSync(CONF, 'utf8'), {
    httpsPort, httpPort, upstream: `127.0.0.1:${wsd.port}`, cert: join(DIR, 'cert.pem'), key: join(DIR, 'key.pem'),
  }));
  const main = join(DIR, 'nginx.conf');
  writeFileSync(main, mainConfig(site));
  const args = ['-p', DIR, '-c', main, '-e', join(DIR, 'error.log')];
  const check = spawnSync('nginx', ['-t', ...args], { encoding: 'utf8' });
  assert.equal(check.status, 0, `nginx -t refused the configuration:\n${check.stderr}`);
  nginx = spawn('nginx', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  nginxExited = new Promise((resolve) => nginx.on('exit', resolve));
  proxy = {
    url: `https://127.0.0.1:${httpsPort}`,
    wsUrl: `wss://127.0.0.1:${httpsPort}`,
    adminToken: wsd.adminToken,
  };
  await untilServing(`${proxy.url}/healthz`);
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');  // graceful: finishes open requests, then exits
    const timer = setTimeout(() => nginx.kill('SIGKILL'), 5000);
    await nginxExited;
    clearTimeout(timer);
  }
  await wsd?.dispose();
});

test('health, readiness and metrics answer through the proxy over https', LIMIT, async () => {
  const health = await fetch(`${proxy.url}/healthz`);
  assert.equal(health.status, 200);
  assertValid('http/healthz_response', await health.json());
  const ready = await fetch(`${proxy.url}/readyz`);
  assert.equal(ready.status, 200);
  assertValid('http/readyz_response', await ready.json());
  const metrics = await fetch(`${proxy.url}/metrics`);  // allowed: the test is on 127.0.0.1
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /^wsd_connections\{transport="ws"\} \d+$/m);
});

test('plain http is redirected to https', LIMIT, async () => {
  const res = await fetch(`http://127.0.0.1:${httpPort}/ws?project=p`, { redirect: 'manual' });
  assert.equal(res.status, 301);
  assert.equal(res.headers.get('location'), `https://127.0.0.1/ws?project=p`);
});

test('the admin API works through the proxy', LIMIT, async () => {
  const p = await freshProject(proxy);
  assert.match(p.project, /^p_/);
  const res = await fetch(`${proxy.url}/project`, { headers: { authorization: 'Bearer wrong' } });
  assert.equal(res.status, 401);
  assertValid('http/error_response', await res.json());
});

for (const transport of TRANSPORTS) {
  test(`${transport}: two clients exchange messages through the proxy over TLS`, LIMIT, async () => {
    const p = await freshProject(proxy);
    const alice = await bound(proxy, { ...p, transport, name: `alice-${transport}` }, 'alice');
    const bob = await bound(proxy, { ...p, transport: 'ws', name: 'bob-ws' }, 'bob');
    await alice.send({ type: 'send', to: 'bob', msg: { text: `hello over ${transport}` } });
    const toBob = await bob.next('direct');
    assert.deepEqual([toBob.from, toBob.msg], ['alice', { text: `hello over ${transport}` }]);
    await bob.send({ type: 'send', to: 'alice', msg: 'and back' });
    const toAlice = await alice.next('direct');
    assert.deepEqual([toAlice.from, toAlice.msg], ['bob', 'and back']);
    await alice.send({ type: 'broadcast', msg: 'everyone' });
    assert.equal((await bob.next('broadcast')).msg, 'everyone');
    alice.close();
    bob.close();
  });
}

test('wss: mode=long pings pass both ways, so heartbeats keep the connection', LIMIT, async () => {
  const p = await freshProject(proxy);
  const c = await connect(proxy, { ...p, transport: 'ws', mode: 'long' });
  for (let i = 0; i < 3; ++i) {  // two unanswered pings would close it: three answered prove the way back
    await c.next('ping', 3000);
    await c.send({ type: 'pong' });
  }
  await c.send({ type: 'list' });
  assert.deepEqual((await c.next('list')).uids, []);
  c.close();
});

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Reads an SSE response's body up to the first event whose JSON matches `type`.
async function readEvent(reader, state, type) {
  const decoder = new TextDecoder();
  for (;;) {
    const events = state.buffer.split('\n\n');
    state.buffer = events.pop();
    for (const event of events) {
      const data = event.split('\n').find((l) => l.startsWith('data: '));
      if (data && JSON.parse(data.slice(6)).type === type) {
        state.buffer = events.slice(events.indexOf(event) + 1).join('\n\n') + (state.buffer ? `\n\n${state.buffer}` : '');
        return JSON.parse(data.slice(6));
      }
    }
    const { value, done } = await withTimeout(reader.read(), 5000, `no ${type} event within 5 s: held back?`);
    assert.equal(done, false, `the stream ended before a ${type} event`);
    state.buffer += decoder.decode(value, { stream: true });
  }
}

test('sse: events are not buffered, and the wsd_conn cookie ties a bare POST to its stream', LIMIT, async () => {
  const p = await freshProject(proxy);
  const controller = new AbortController();
  const stream = await fetch(`${proxy.url}/sse?project=${p.project}&token=${p.token}`, { signal: controller.signal });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type'), /^text\/event-stream/);
  const cookie = stream.headers.get('set-cookie');
  assert.match(cookie, /^wsd_conn=[^;]+;/);
  assert.match(cookie, /; secure/i, 'the proxy marks the cookie Secure');
  assert.match(cookie, /HttpOnly/);
  const reader = stream.body.getReader();
  const state = { buffer: '' };
  // `connected` arrives while the response is still open: nothing holds it back.
  const connected = await readEvent(reader, state, 'connected');
  assert.equal(cookie.split(';')[0], `wsd_conn=${connected.secret}`, "the cookie holds the session's secret");

  // The seed's way: a POST with no query at all, tied to the stream by the cookie.
  const post = await fetch(`${proxy.url}/sse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0] },
    body: JSON.stringify({ type: 'bind', uid: 'cookie-user' }),
  });
  assert.equal(post.status, 200);
  assertValid('http/post_ok_response', await post.json());
  assert.equal((await readEvent(reader, state, 'bind_success')).uid, 'cookie-user');
  controller.abort();
});

test('poll: a held GET is answered through the proxy as soon as a message arrives', LIMIT, async () => {
  const p = await freshProject(proxy);
  const carol = await bound(proxy, { ...p, transport: 'poll' }, 'carol');  // its GETs are held by wsd
  const dave = await bound(proxy, { ...p, transport: 'sse' }, 'dave');
  await dave.send({ type: 'send', to: 'carol', msg: 'through a held poll' });
  assert.equal((await carol.next('direct')).msg, 'through a held poll');
  carol.close();
  dave.close();
});

test('the proxy timeouts outlast what wsd may keep quiet', LIMIT, () => {
  const conf = readFileSync(CONF, 'utf8');
  const location = (path) => {
    const m = new RegExp(`location = ${path} \\{([^}]*)\\}`).exec(conf);
    assert.ok(m, `no location = ${path}`);
    return m[1];
  };
  const seconds = (block, directive) => Number(new RegExp(`${directive} (\\d+)s;`).exec(block)?.[1] ?? 60);  // nginx's default
  assert.ok(seconds(location('/ws'), 'proxy_read_timeout') > 2 * 15, '/ws: longer than two heartbeats (15 s)');
  assert.ok(seconds(location('/sse'), 'proxy_read_timeout') > 15, '/sse: longer than the keepalive comments (15 s)');
  assert.ok(seconds(location('/poll'), 'proxy_read_timeout') > 25, '/poll: longer than --poll-timeout (25 s)');
  assert.match(location('/sse'), /proxy_buffering off;/);
  assert.match(location('/poll'), /proxy_buffering off;/);
  assert.match(location('/ws'), /proxy_set_header Upgrade \$http_upgrade;/);
  assert.match(location('/ws'), /proxy_set_header Connection \$wsd_connection;/);
});
