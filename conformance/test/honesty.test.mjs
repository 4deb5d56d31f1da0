// wsconform must fail, and say why, against a server that gets the protocol wrong;
// otherwise a green run against wsd would prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const WSCONFORM = process.env.WSCONFORM_BIN;
const CASES = process.env.WSCONFORM_CASES ?? `${here}../cases`;

async function startBroken() {
  const proc = spawn(process.execPath, [`${here}broken-server.mjs`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => proc.stdout.on('data', (d) => resolve(/http:\/\/[\d.:]+/.exec(d.toString())[0])));
  return { url, stop: () => proc.kill() };
}

function run(args, binary = WSCONFORM) {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 120000 }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

test('the kit fails against a broken server and names the step, the expectation and what arrived', async () => {
  const broken = await startBroken();
  try {
    const { code, stdout } = await run([
      '--url', broken.url, '--admin-token', 'any', '--profile', 'seed', '--transport', 'ws',
      '--cases', CASES, '--timeout-scale', '0.2',
    ]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL {2}seed\/bind-and-send \[ws\]/);
    assert.match(stdout, /\/uid: expected "user_1", got "someone-else"/);
    assert.match(stdout, /FAIL {2}seed\/list-and-online \[ws\]/);
    assert.match(stdout, /FAIL {2}seed\/heartbeat-in-long-mode \[ws\]/);
    // Without --with-mail the cases that need a mail relay are skipped, and said to be.
    assert.match(stdout, /SKIP {2}seed\/mail-rate-limit \[ws\] +needs a server with a mail relay: run with --with-mail/);
    assert.match(stdout, /\d+ passed, [1-9]\d* failed, [1-9]\d* skipped\s*$/);
  } finally {
    broken.stop();
  }
});

test('a schema violation alone fails a case', async () => {
  const broken = await startBroken();
  try {
    const { code, stdout } = await run([
      '--url', broken.url, '--admin-token', 'any', '--profile', 'full', '--transport', 'ws',
      '--filter', 'seed/list-and-online', '--cases', CASES, '--timeout-scale', '0.2',
    ]);
    assert.equal(code, 1);
    assert.match(stdout, /FAIL/);
  } finally {
    broken.stop();
  }
});

test('a bad command line is refused with usage and exit code 2', async () => {
  const { code, stdout } = await run(['--url', 'http://127.0.0.1:1']);
  assert.equal(code, 2, stdout);
});

test('--help and -h print the usage and every option, and exit 0', async () => {
  for (const flag of ['--help', '-h']) {
    const { code, stdout } = await run([flag]);
    assert.equal(code, 0, `${flag}: ${stdout}`);
    assert.match(stdout, /^usage: wsconform --url/);
    for (const option of ['--admin-token', '--profile', '--cases', '--keep', '--with-mail', '--timeout-scale']) {
      assert.match(stdout, new RegExp(option), `${flag} lists ${option}`);
    }
  }
});

test('a --cases directory that does not exist is a clear error naming --cases, exit code 2', async () => {
  const { code, stderr } = await run(['--url', 'http://127.0.0.1:1', '--admin-token', 'any', '--cases', '/no/such/cases']);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /^wsconform: --cases \/no\/such\/cases: no such directory/);
});

test('a server that does not answer is said once, with exit code 2, not as a failure of every case', async () => {
  const { code, stdout, stderr } = await run(['--url', 'http://127.0.0.1:1', '--admin-token', 'any', '--cases', CASES]);
  assert.equal(code, 2, stdout);
  assert.equal(stdout, '');
  assert.match(stderr, /^wsconform: cannot reach http:\/\/127\.0\.0\.1:1 \(.+\); is the server running, and is --url right\?/);
});

test('without --cases, the cases next to the binary are the ones that run', async () => {
  const broken = await startBroken();
  const dir = caseDir({
    'beside.json': { name: 'honesty/beside-the-binary', spec: 'found', transports: ['ws'], actors: { a: { transport: 'ws' } },
      steps: [{ connect: 'a' }] },
  });
  try {
    const binary = join(dir, 'wsconform');
    copyFileSync(WSCONFORM, binary);
    mkdirSync(join(dir, 'cases'));
    copyFileSync(join(dir, 'full', 'beside.json'), join(dir, 'cases', 'beside.json'));
    rmSync(join(dir, 'full'), { recursive: true });
    const { code, stdout } = await run(['--url', broken.url, '--admin-token', 'any'], binary);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /PASS {2}honesty\/beside-the-binary \[ws\]/);
    assert.match(stdout, /1 passed, 0 failed\s*$/);
  } finally {
    broken.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missed expectation is compared with the closest message received, and every message is shown', async () => {
  const broken = await startBroken();
  // send_success arrives first and differs in two fields; bind_success (with the broken
  // server's wrong uid) comes second and differs in one: it is the one to compare with.
  const dir = caseDir({
    'closest.json': { name: 'honesty/closest', spec: 'closest', transports: ['ws'], actors: { a: { transport: 'ws' } },
      steps: [{ connect: 'a' }, { send: 'a', message: { type: 'send', to: 'user_2', msg: 'hi' } },
        { send: 'a', message: { type: 'bind', uid: 'user_1' } },
        { expect: 'a', message: { type: 'bind_success', uid: 'user_1' }, within: 1000 }] },
  });
  try {
    const { code, stdout } = await run(['--url', broken.url, '--admin-token', 'any', '--cases', dir]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /closest: message 2 differs in 1 field: \/uid: expected "user_1", got "someone-else"; received 2:/);
    assert.match(stdout, /1\. \{"type":"send_success","to":"user_2"\}/);
    assert.match(stdout, /2\. \{"type":"bind_success","uid":"someone-else"\}/);
  } finally {
    broken.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('of two messages as far from the expectation, the one of the awaited type is the closest', async () => {
  const broken = await startBroken();
  // bind_success (first) differs in type and a missing `to`; send_success (second) in `to`
  // and a missing `uid`: as many fields, but only the second is what the step waits for.
  const dir = caseDir({
    'type_first.json': { name: 'honesty/type-first', spec: 'closest', transports: ['ws'], actors: { a: { transport: 'ws' } },
      steps: [{ connect: 'a' }, { send: 'a', message: { type: 'bind', uid: 'user_1' } },
        { expect: 'a', message: { type: 'bind_success' } },
        { send: 'a', message: { type: 'bind', uid: 'user_1' } },
        { send: 'a', message: { type: 'send', to: 'user_2', msg: 'hi' } },
        { expect: 'a', message: { type: 'send_success', to: 'user_3', uid: 'someone-else' }, within: 1000 }] },
  });
  try {
    const { code, stdout } = await run(['--url', broken.url, '--admin-token', 'any', '--cases', dir]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /closest: message 2 differs in 2 fields: \/to: expected "user_3", got "user_2"; \/uid: /);
  } finally {
    broken.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failure report lists the last 20 of the messages that arrived, numbered', async () => {
  const broken = await startBroken();
  const queries = Array.from({ length: 25 }, (_, i) => ({ send: 'a', message: { type: 'online', uid: `u${i + 1}` } }));
  const dir = caseDir({
    'many.json': { name: 'honesty/many', spec: 'bounded', transports: ['ws'], actors: { a: { transport: 'ws' } },
      steps: [{ connect: 'a' }, ...queries, { expect: 'a', message: { type: 'list' }, within: 1000 }] },
  });
  try {
    const { code, stdout } = await run(['--url', broken.url, '--admin-token', 'any', '--cases', dir]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /received 25 \(the last 20 shown\):/);
    assert.match(stdout, /\n {6}6\. \{"type":"online_result","uid":"u6"\}/);
    assert.match(stdout, /\n {6}25\. \{"type":"online_result","uid":"u25"\}/);
    assert.doesNotMatch(stdout, /\n {6}5\. /);
  } finally {
    broken.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--server-settings prints the options the selected cases declare, each at its smallest value', async () => {
  const dir = caseDir({
    'a.json': { name: 'honesty/a', serverSettings: { 'poll-session-timeout': 5, 'heartbeat-interval': 1 }, steps: [] },
    'b.json': { name: 'honesty/b', serverSettings: { 'poll-session-timeout': 2 }, steps: [] },
    'c.json': { name: 'honesty/c', steps: [] },
    'd.json': { name: 'other/d', serverSettings: { 'sse-resume-window': 1 }, steps: [] },
  });
  try {
    const all = await run(['--cases', dir, '--server-settings']);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stdout, '--heartbeat-interval 1 --poll-session-timeout 2 --sse-resume-window 1\n');
    const some = await run(['--cases', dir, '--filter', 'honesty/*', '--server-settings']);
    assert.equal(some.stdout, '--heartbeat-interval 1 --poll-session-timeout 2\n');
    writeFileSync(join(dir, 'full', 'e.json'), JSON.stringify({ name: 'honesty/e', serverSettings: { x: 'soon' }, steps: [] }));
    const bad = await run(['--cases', dir, '--server-settings']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /e\.json: serverSettings\.x is not a number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('skipped cases neither pass nor fail a run', async () => {
  const broken = await startBroken();
  try {
    const { code, stdout } = await run([
      '--url', broken.url, '--admin-token', 'any', '--filter', 'seed/mail-*', '--cases', CASES,
    ]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /SKIP {2}seed\/mail-send \[ws\]/);
    assert.match(stdout, /0 passed, 0 failed, 2 skipped\s*$/);
  } finally {
    broken.stop();
  }
});

test('with --with-mail, the mail cases fail against a mail API that never limits nor checks', async () => {
  const broken = await startBroken();
  try {
    const { code, stdout } = await run([
      '--url', broken.url, '--admin-token', 'any', '--filter', '*mail*', '--with-mail', '--cases', CASES,
      '--timeout-scale', '0.2',
    ]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL {2}seed\/mail-rate-limit \[ws\]/);
    assert.match(stdout, /step 1: POST \/mail\?project=\S+: expected 429, got 200/);
    assert.match(stdout, /FAIL {2}full\/mail-errors \[ws\]/);
    assert.match(stdout, /step 0: POST \/mail\?project=\S+&token=wrong: expected 401, got 200/);
    assert.doesNotMatch(stdout, /SKIP/);
  } finally {
    broken.stop();
  }
});

// The drop and resume steps, on cases that use nothing else, so the failure can only come
// from them: the broken server starts a new SSE session on every stream and never ends a
// polling session.
const resumeCases = {
  'sse_resume.json': {
    name: 'honesty/sse-resume', spec: 'drop, resume', transports: ['sse'],
    actors: { reader: { transport: '$transport' } },
    steps: [{ connect: 'reader' }, { drop: 'reader' }, { resume: 'reader' },
      { expectNone: 'reader', message: { type: 'connected' } }],
  },
  'poll_session_ends.json': {
    name: 'honesty/poll-session-ends', spec: 'drop, resume refused', transports: ['poll'],
    actors: { alice: { transport: '$transport' } },
    steps: [{ connect: 'alice' }, { drop: 'alice' },
      { resume: 'alice', expectRefusal: 404, expectBody: { code: 'unknown_conn' } }],
  },
  'ws_drop.json': {
    name: 'honesty/ws-cannot-drop', spec: 'drop needs sse or poll', transports: ['ws'],
    actors: { bob: { transport: '$transport' } },
    steps: [{ connect: 'bob' }, { drop: 'bob' }],
  },
};

function caseDir(cases) {
  const dir = mkdtempSync(join(tmpdir(), 'wsconform-honesty-'));
  mkdirSync(join(dir, 'full'));
  for (const [file, c] of Object.entries(cases)) writeFileSync(join(dir, 'full', file), JSON.stringify(c));
  return dir;
}

test('drop and resume fail against a server that neither resumes nor ends sessions', async () => {
  const broken = await startBroken();
  const dir = caseDir(resumeCases);
  try {
    const { code, stdout } = await run([
      '--url', broken.url, '--admin-token', 'any', '--cases', dir, '--timeout-scale', '0.2',
    ]);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL {2}honesty\/sse-resume \[sse\]/);
    assert.match(stdout, /step 3: reader: expected no \{"type":"connected"\}, got \{"type":"connected","connId":"s\d+"\}/);
    assert.match(stdout, /FAIL {2}honesty\/poll-session-ends \[poll\]/);
    assert.match(stdout, /step 2: resume alice \(session p\d+\): expected refusal 404, was resumed/);
    assert.match(stdout, /FAIL {2}honesty\/ws-cannot-drop \[ws\]/);
    assert.match(stdout, /step 1: drop: bob uses ws, which cannot lose its connection without closing it/);
    assert.match(stdout, /0 passed, 3 failed\s*$/);
  } finally {
    broken.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a case that requires what the runner does not know is refused with exit code 2', async () => {
  const dir = caseDir({
    'teleport.json': { name: 'honesty/teleport', requires: ['teleport'], transports: ['ws'], actors: {}, steps: [] },
  });
  try {
    const { code } = await run(['--url', 'http://127.0.0.1:1', '--admin-token', 'any', '--cases', dir]);
    assert.equal(code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
