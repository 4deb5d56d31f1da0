// The kit against a server that is not wsd: conformance/examples/minimal-server, which
// offers the documented admin calls and the seed messages over WebSocket only. The cases
// it implements pass, the others fail with a reason a reader can act on, the exit code
// says the run failed, and the server is left with the projects it had before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const WSCONFORM = process.env.WSCONFORM_BIN;
const CASES = process.env.WSCONFORM_CASES ?? `${here}../cases`;
const ADMIN_TOKEN = 'minimal-admin-token';

async function startMinimal() {
  const proc = spawn(process.execPath, [`${here}../examples/minimal-server/server.mjs`, '--admin-token', ADMIN_TOKEN,
    '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => resolve(/http:\/\/[\d.:]+/.exec(d.toString())[0]));
    proc.on('exit', (code) => reject(new Error(`the minimal server exited with ${code}`)));
  });
  return { url, stop: () => proc.kill() };
}

function run(args) {
  return new Promise((resolve) => {
    execFile(WSCONFORM, args, { timeout: 120000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

async function admin(url, method, path, body) {
  const res = await fetch(url + path, {
    method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${method} ${path}`);
  return res.json();
}

async function projectKeys(url) {
  return (await admin(url, 'GET', '/project')).projects.map((p) => p.key).sort();
}

test('the seed profile against a minimal non-wsd server: what it implements passes, the rest fails readably, nothing is left behind', async () => {
  const server = await startMinimal();
  try {
    // A project of the server's own, which the run must neither delete nor add to.
    await admin(server.url, 'POST', '/project', { key: 'operators-own', name: 'kept' });
    await admin(server.url, 'POST', '/token', { projectKey: 'operators-own' });
    const before = await projectKeys(server.url);

    const { code, stdout } = await run(['--url', server.url, '--admin-token', ADMIN_TOKEN, '--profile', 'seed',
      '--cases', CASES, '--timeout-scale', '0.3']);

    assert.equal(code, 1, stdout);
    for (const name of ['admin-projects-and-tokens', 'bind-and-send', 'list-and-online', 'broadcast',
      'multicast-online-and-offline', 'offline-messages-on-next-bind', 'presence-notifications']) {
      assert.match(stdout, new RegExp(`PASS {2}seed/${name} \\[ws\\]`), name);
    }
    // No SSE nor long polling: each such case fails at its first connection, saying so.
    assert.match(stdout, /FAIL {2}seed\/bind-and-send \[sse\][^\n]*\n[^\n]*spec: docs\/protocol\.md Client messages[^\n]*\n {6}step 0: connect alice over sse: refused \(404 /);
    assert.match(stdout, /FAIL {2}seed\/bind-and-send \[poll\][^\n]*\n[^\n]*\n {6}step 0: connect alice over poll: refused \(404 /);
    // No heartbeat: the ping that mode=long promises never comes.
    assert.match(stdout, /FAIL {2}seed\/heartbeat-in-long-mode \[ws\][^\n]*\n[^\n]*\n {6}step 1: alice: expected \{"type":"ping"\} within \d+ ms; nothing arrived/);
    // No rooms: what the server answered instead is shown.
    assert.match(stdout, /FAIL {2}seed\/webrtc-call-flow \[ws\][\s\S]*?\d+\. \{"type":"error","code":"unknown_type","msg":"unknown type room_join"\}/);
    assert.match(stdout, /SKIP {2}seed\/mail-send \[ws\] +needs a server with a mail relay/);
    assert.match(stdout, /\n7 passed, 18 failed, 2 skipped\s*$/);

    assert.deepEqual(await projectKeys(server.url), before, 'the run deleted every project it created, and only those');
  } finally {
    server.stop();
  }
});

test('with --keep, the projects of the cases stay on the server', async () => {
  const server = await startMinimal();
  try {
    const { code, stdout } = await run(['--url', server.url, '--admin-token', ADMIN_TOKEN, '--cases', CASES,
      '--filter', 'seed/bind-and-send', '--transport', 'ws', '--keep']);
    assert.equal(code, 0, stdout);
    const keys = await projectKeys(server.url);
    assert.equal(keys.length, 1, keys.join(' '));
    assert.match(keys[0], /^conf_/);
  } finally {
    server.stop();
  }
});

test('a wrong admin token fails each case at its setup, with the server\'s answer', async () => {
  const server = await startMinimal();
  try {
    const { code, stdout } = await run(['--url', server.url, '--admin-token', 'not-the-token', '--cases', CASES,
      '--filter', 'seed/bind-and-send', '--transport', 'ws']);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL {2}seed\/bind-and-send \[ws\][^\n]*\n[^\n]*\n {6}setup: POST \/project answered 401 \{"status":"error","code":"unauthorized"/);
    assert.deepEqual(await projectKeys(server.url), []);
  } finally {
    server.stop();
  }
});
