// wsconform must fail, and say why, against a server that gets the protocol wrong;
// otherwise a green run against wsd would prove nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
    assert.match(stdout, /\d+ passed, [1-9]\d* failed\s*$/);
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
