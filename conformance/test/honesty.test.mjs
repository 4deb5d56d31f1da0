// wsconform must fail, and say why, against a server that gets the protocol wrong;
// otherwise a green run against wsd would prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

function run(args) {
  return new Promise((resolve) => {
    execFile(WSCONFORM, args, { timeout: 120000 }, (error, stdout) => resolve({ code: error ? error.code : 0, stdout }));
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
