// Operating wsd (docs/operations.md "Options"): a real wsd configured from a TOML file
// alone or from WSD_* variables alone takes those settings; `wsd config print` shows
// each value's source with secrets masked; a bad value stops wsd with status 2 naming
// the option and its source.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launch, wsdEnv, WSD_BIN } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';

const dirs = [];
const procs = [];
after(async () => {
  for (const p of procs) {
    if (p.proc.exitCode === null && p.proc.signalCode === null) {
      p.proc.kill('SIGTERM');
      await p.exited;
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'wsd-ops-'));
  dirs.push(dir);
  return dir;
}

// A port nobody listens on now, for a setting that names one (not port 0: the test checks
// that wsd listens where the file or the environment said).
function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// The environment without any WSD_<OPTION> variable this runner may have.
function cleanEnv(extra = {}) {
  const env = wsdEnv();
  for (const name of Object.keys(env)) {
    if (name.startsWith('WSD_') && !['WSD_BIN', 'WSD_SCHEMAS'].includes(name)) delete env[name];
  }
  return { ...env, ...extra };
}

function run(args, env = cleanEnv()) {
  return new Promise((resolve) => {
    execFile(WSD_BIN, args, { env }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

// Starts wsd with `args` and `env` only, and returns it as the admin helpers want it.
async function start(args, env, adminToken) {
  const started = launch(args, /listening on http:\/\/127\.0\.0\.1:(\d+)/, env);
  procs.push(started);
  const port = Number(await started.ready);
  return { port, url: `http://127.0.0.1:${port}`, adminToken, stderr: started.stderr };
}

// An idle long poll answers [] after the poll timeout: how long it took, in ms.
async function idlePollMs(server) {
  const p = await freshProject(server);
  const first = await (await fetch(`${server.url}/poll?project=${p.project}&token=${p.token}`)).json();
  const { connId, secret } = first[0];
  const started = Date.now();
  const res = await fetch(`${server.url}/poll?project=${p.project}&token=${p.token}&connId=${connId}`, {
    headers: { 'wsd-session-secret': secret },
  });
  assert.deepEqual(await res.json(), []);
  return Date.now() - started;
}

test('wsd configured from a TOML file alone listens where it says and holds polls as long as it says', async () => {
  const dir = tempDir();
  const port = await freePort();
  const adminToken = randomBytes(16).toString('hex');
  const file = join(dir, 'wsd.toml');
  writeFileSync(file, [
    '# written for this test',
    `listen = "127.0.0.1:${port}"`,
    `data-dir = "${join(dir, 'data')}"`,
    `admin-token = "${adminToken}"`,
    'poll-timeout = "300ms"  # far below the default 25 s',
  ].join('\n') + '\n');
  const server = await start(['--config', file], cleanEnv(), adminToken);
  assert.equal(server.port, port);
  const waited = await idlePollMs(server);  // the admin token of the file works, too
  assert.ok(waited >= 250 && waited < 5000, `an idle poll answered after ${waited} ms`);
});

test('wsd configured from the environment alone takes every WSD_ variable', async () => {
  const dir = tempDir();
  const port = await freePort();
  const adminToken = randomBytes(16).toString('hex');
  const server = await start([], cleanEnv({
    WSD_LISTEN: `127.0.0.1:${port}`,
    WSD_DATA_DIR: join(dir, 'data'),
    WSD_ADMIN_TOKEN: adminToken,
    WSD_POLL_TIMEOUT: '0.3',
  }), adminToken);
  assert.equal(server.port, port);
  const waited = await idlePollMs(server);
  assert.ok(waited >= 250 && waited < 5000, `an idle poll answered after ${waited} ms`);
});

test('wsd config print shows each value and its source, with secrets masked', async () => {
  const dir = tempDir();
  const file = join(dir, 'wsd.toml');
  writeFileSync(file, 'mail-http-key = "file-secret-key"\nmax-inbox = 12\npoll-timeout = "9s"\n');
  const env = cleanEnv({ WSD_SMTP_PASSWORD: 'env-secret-password', WSD_POLL_TIMEOUT: '7s' });
  const { code, stdout } = await run(['config', 'print', '--config', file, '--admin-token', 'flag-secret-token',
    '--poll-timeout', '5s'], env);
  assert.equal(code, 0);
  for (const secret of ['file-secret-key', 'env-secret-password', 'flag-secret-token']) {
    assert.ok(!stdout.includes(secret), `${secret} printed`);
  }
  const lines = Object.fromEntries(stdout.trim().split('\n').map((l) => {
    const m = /^([a-z-]+) = (.*)  # (default|file|env|flag)$/.exec(l);
    assert.ok(m, `not an option line: ${l}`);
    return [m[1], { value: m[2], source: m[3] }];
  }));
  assert.deepEqual(lines['admin-token'], { value: '***', source: 'flag' });
  assert.deepEqual(lines['smtp-password'], { value: '***', source: 'env' });
  assert.deepEqual(lines['mail-http-key'], { value: '***', source: 'file' });
  assert.deepEqual(lines['poll-timeout'], { value: '5s', source: 'flag' });
  assert.deepEqual(lines['max-inbox'], { value: '12', source: 'file' });
  assert.deepEqual(lines['rate-limit'], { value: '1000', source: 'default' });
});

test('wsd config example writes a file that wsd reads back unchanged', async () => {
  const dir = tempDir();
  const example = await run(['config', 'example']);
  assert.equal(example.code, 0);
  const file = join(dir, 'wsd.toml');
  writeFileSync(file, example.stdout);
  const fromFile = await run(['config', 'print', '--config', file]);
  const defaults = await run(['config', 'print']);
  assert.equal(fromFile.code, 0, fromFile.stderr);
  const values = (text) => text.split('\n').filter((l) => !l.startsWith('config =')).map((l) => l.replace(/  # \w+$/, ''));
  assert.deepEqual(values(fromFile.stdout), values(defaults.stdout));
  assert.match(fromFile.stdout, /^poll-timeout = 25s {2}# file$/m);
});

test('a bad value stops wsd with status 2, naming the option and where it came from', async () => {
  const fromEnv = await run([], cleanEnv({ WSD_POLL_TIMEOUT: 'soon' }));
  assert.equal(fromEnv.code, 2);
  assert.match(fromEnv.stderr, /bad value 'soon' for --poll-timeout from WSD_POLL_TIMEOUT/);
  const dir = tempDir();
  const file = join(dir, 'wsd.toml');
  writeFileSync(file, 'output-budget = "lots"\n');
  const fromFile = await run(['--config', file]);
  assert.equal(fromFile.code, 2);
  assert.ok(fromFile.stderr.includes(`bad value 'lots' for --output-budget from ${file}`), fromFile.stderr);
  const fromFlag = await run(['--max-message-bytes', '12 parsecs']);
  assert.equal(fromFlag.code, 2);
  assert.match(fromFlag.stderr, /for --max-message-bytes from the command line/);
});
