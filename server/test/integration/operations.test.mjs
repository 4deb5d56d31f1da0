// Operating wsd (docs/operations.md "Options", "Logs"): a real wsd configured from a TOML
// file alone or from WSD_* variables alone takes those settings; `wsd config print` shows
// each value's source with secrets masked; a bad value stops wsd with status 2 naming
// the option and its source; JSON logs are one object per line; no secret is ever logged.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launch, wsdEnv, WSD_BIN } from './lib/server.mjs';
import { freshProject } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';

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
    // A wsd that wrongly starts instead of refusing is ended (and the test fails on its status).
    execFile(WSD_BIN, args, { env, timeout: 10000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code ?? error.signal : 0, stdout, stderr }));
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
  const fromEnv = await run([], cleanEnv({ WSD_POLL_TIMEOUT: 'soon', WSD_DATA_DIR: tempDir(), WSD_LISTEN: '127.0.0.1:0' }));
  assert.equal(fromEnv.code, 2);
  assert.match(fromEnv.stderr, /bad value 'soon' for --poll-timeout from WSD_POLL_TIMEOUT/);
  const dir = tempDir();
  const file = join(dir, 'wsd.toml');
  writeFileSync(file, 'output-budget = "lots"\n');
  const fromFile = await run(['--config', file, '--data-dir', dir, '--listen', '127.0.0.1:0']);
  assert.equal(fromFile.code, 2);
  assert.ok(fromFile.stderr.includes(`bad value 'lots' for --output-budget from ${file}`), fromFile.stderr);
  const fromFlag = await run(['--max-message-bytes', '12 parsecs', '--data-dir', dir, '--listen', '127.0.0.1:0']);
  assert.equal(fromFlag.code, 2);
  assert.match(fromFlag.stderr, /for --max-message-bytes from the command line/);
});

// wsd with stdout and stderr both kept; `ready` resolves with the first group of `readyWhen`
// in stderr; `stop()` ends it with SIGTERM and waits.
function spawnWsd(args, env = cleanEnv(), readyWhen = /listening on http:\/\/127\.0\.0\.1:(\d+)/) {
  const proc = spawn(WSD_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const out = { stdout: '', stderr: '' };
  proc.stdout.on('data', (d) => { out.stdout += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  const ready = new Promise((resolve, reject) => {
    proc.stderr.on('data', (d) => {
      out.stderr += d;
      const m = readyWhen.exec(out.stderr);
      if (m) resolve(Number(m[1]));
    });
    exited.then((code) => reject(new Error(`wsd exited with ${code}:\n${out.stderr}`)));
  });
  const stop = async () => {
    if (proc.exitCode === null) proc.kill('SIGTERM');
    return exited;
  };
  return { out, ready, exited, stop };
}

test('--log-format json writes one JSON object per line, with ts, level, msg and the project', async () => {
  const dir = tempDir();
  const adminToken = randomBytes(16).toString('hex');
  const wsd = spawnWsd(['--listen', '127.0.0.1:0', '--data-dir', dir, '--admin-token', adminToken, '--log-format', 'json']);
  const port = await wsd.ready;
  const { project } = await freshProject({ url: `http://127.0.0.1:${port}`, adminToken });
  assert.equal(await wsd.stop(), 0);
  const lines = wsd.out.stderr.trim().split('\n');
  const entries = lines.map((line) => JSON.parse(line));
  for (const e of entries) {
    assert.match(e.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(['debug', 'info', 'warn', 'error'].includes(e.level), e.level);
    assert.equal(typeof e.msg, 'string');
  }
  assert.ok(entries.some((e) => e.msg === `listening on http://127.0.0.1:${port}`));
  const created = entries.find((e) => e.msg.startsWith('project.create applied'));
  assert.equal(created?.project, project);
  assert.match(created.event, /\S/);
  assert.ok(entries.some((e) => e.msg === 'shutting down'));
});

test('at debug level a session\'s start and end are one JSON line each, keyed by project, conn and uid', async () => {
  const adminToken = randomBytes(16).toString('hex');
  const wsd = spawnWsd(['--listen', '127.0.0.1:0', '--data-dir', tempDir(), '--admin-token', adminToken,
    '--log-format', 'json', '--log-level', 'debug']);
  const port = await wsd.ready;
  const target = { url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, adminToken };
  const p = await freshProject(target);
  const client = await bound(target, { ...p, transport: 'ws' }, 'u_logged');
  assert.equal(await wsd.stop(), 0);  // ends the session, if its close did not already
  const entries = wsd.out.stderr.trim().split('\n').map((line) => JSON.parse(line));
  const opened = entries.find((e) => e.msg === 'session opened' && e.conn === client.connId);
  assert.deepEqual({ project: opened?.project, transport: opened?.transport }, { project: p.project, transport: 'ws' });
  const ended = entries.find((e) => e.msg === 'session ended' && e.conn === client.connId);
  assert.deepEqual({ project: ended?.project, uid: ended?.uid }, { project: p.project, uid: 'u_logged' });
  assert.match(ended.code, /^\d{4}$/);
  assert.ok(!wsd.out.stderr.includes(p.token), 'a client token is in the log');
});

test('text logs carry an ISO-8601 UTC time and the level before the message', async () => {
  const dir = tempDir();
  const wsd = spawnWsd(['--listen', '127.0.0.1:0', '--data-dir', dir, '--admin-token', 'x'.repeat(32)]);
  const port = await wsd.ready;
  await wsd.stop();
  assert.match(wsd.out.stderr, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z info wsd: listening on http://127\\.0\\.0\\.1:${port}$`, 'm'));
  for (const line of wsd.out.stderr.trim().split('\n')) assert.match(line, /^\S+Z (debug|info|warn|error) wsd: /);
});

test('no secret is ever logged: not a given admin token, not a generated one after its first-start notice', async () => {
  const given = randomBytes(16).toString('hex');
  const secrets = { WSD_SMTP_PASSWORD: randomBytes(8).toString('hex'), WSD_MAIL_HTTP_KEY: randomBytes(8).toString('hex') };
  const withGiven = spawnWsd(['--listen', '127.0.0.1:0', '--data-dir', tempDir(), '--admin-token', given,
    '--log-level', 'debug'], cleanEnv(secrets));
  const port = await withGiven.ready;
  await freshProject({ url: `http://127.0.0.1:${port}`, adminToken: given });  // the token is in use
  await withGiven.stop();
  for (const secret of [given, ...Object.values(secrets)]) {
    assert.ok(!withGiven.out.stderr.includes(secret), 'a secret given to wsd is in its log');
    assert.ok(!withGiven.out.stdout.includes(secret), 'a secret given to wsd is on its stdout');
  }

  // Generated: shown once on stdout on the first start (what deploy/local/start.sh shows).
  const dir = tempDir();
  const first = spawnWsd(['--listen', '127.0.0.1:0', '--data-dir', dir]);
  await first.ready;
  await first.stop();
  const generated = /^wsd: admin token: (\S+)$/m.exec(first.out.stdout)?.[1];
  assert.ok(generated, `no first-start notice on stdout: ${first.out.stdout}`);
  assert.equal(readFileSync(join(dir, 'admin-token'), 'utf8').trim(), generated);
  assert.ok(!first.out.stderr.includes(generated), 'the generated admin token is in the log');
  const again = spawnWsd(['--listen', '127.0.0.1:0', '--data-dir', dir]);
  const againPort = await again.ready;
  await freshProject({ url: `http://127.0.0.1:${againPort}`, adminToken: generated });  // still the same token
  await again.stop();
  assert.ok(!again.out.stderr.includes(generated) && !again.out.stdout.includes(generated),
    'the admin token was shown again after the first start');
  assert.match(again.out.stderr, /admin token: kept in /);
});

test('a role whose Kafka does not answer says why, answers /readyz 503 naming kafka, and exits after --backend-wait', async () => {
  const closedPort = await freePort();
  const started = Date.now();
  const wsd = spawnWsd(['all', '--listen', '127.0.0.1:0', '--data-dir', tempDir(), '--admin-token', 'x'.repeat(32),
    '--kafka-brokers', `127.0.0.1:${closedPort}`, '--backend-wait', '3s'], cleanEnv(),
  /readyz answers 503 on http:\/\/127\.0\.0\.1:(\d+)/);
  const port = await wsd.ready;
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  assert.equal(ready.status, 503);
  const body = assertValid('http/readyz_response', await ready.json());
  assert.equal(body.status, 'error');
  assert.equal(body.code, 'not_ready');
  assert.match(body.msg, /^kafka: /);
  assert.match(body.checks.kafka, new RegExp(`127\\.0\\.0\\.1:${closedPort}`));
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

  const code = await wsd.exited;
  const tookMs = Date.now() - started;
  assert.notEqual(code, 0);
  assert.ok(tookMs < 15000, `exited after ${tookMs} ms`);
  assert.match(wsd.out.stderr, new RegExp(` warn wsd: waiting: kafka unreachable: .*127\\.0\\.0\\.1:${closedPort}`));
  assert.match(wsd.out.stderr, / error wsd: giving up after [\d.]+ s \(--backend-wait\): kafka unreachable/);
  assert.ok(!/listening on http/.test(wsd.out.stderr), 'it said it was listening for clients');
});
