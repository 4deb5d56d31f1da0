// README's first command, then its first steps in the dashboard: wsd started by
// `bash deploy/local/start.sh` (what start.sh built: WSD_NO_BUILD=1 since CTest built it,
// with a data dir and port of this test's own through WSD_DATA_DIR and WSD_LISTEN) serves
// the JS SDK the dashboard loads, and the dashboard's WebRTC call test connects a call
// between two chromium pages (fake camera and microphone).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { WSD_BIN } from '../../server/test/integration/lib/server.mjs';
import { adminCall, choose, launchBrowser, openSection, projectWithToken, screenshot, signIn, text } from '../../dashboard/test/lib/harness.mjs';

const START = new URL('../../deploy/local/start.sh', import.meta.url).pathname;

let wsd;
let browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// start.sh as the README runs it; resolves with the URL and the admin token it printed.
async function startAsReadme() {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-first-steps-'));
  const port = await freePort();
  const proc = spawn('bash', [START], {
    env: { ...process.env, WSD_NO_BUILD: '1', WSD_BUILD_DIR: dirname(dirname(WSD_BIN)), WSD_DATA_DIR: dataDir, WSD_LISTEN: `127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise((resolve, reject) => {
    const collect = (chunk) => {
      output += chunk;
      const token = /^wsd: admin token: (\S+)$/m.exec(output)?.[1];
      const listening = /listening on (http:\/\/\S+)\n/.exec(output)?.[1];
      if (token && listening) resolve({ url: listening, adminToken: token });
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    proc.on('exit', (code) => reject(new Error(`start.sh exited with ${code}:\n${output}`)));
  });
  const dispose = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await new Promise((resolve) => proc.on('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    return { ...(await started), dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

before(async () => {
  wsd = await startAsReadme();
});

after(async () => {
  await browser?.close();
  await wsd?.dispose();
});

test('the wsd start.sh runs serves the JS SDK the dashboard loads', async () => {
  const res = await fetch(`${wsd.url}/dashboard/sdk/index.js`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /javascript/);
  assert.match(await res.text(), /export \* from|export \{/);
});

test('the dashboard of that wsd connects a WebRTC call between two pages', { timeout: 90000 }, async () => {
  const token = await projectWithToken(wsd, 'first-steps');
  assert.equal((await adminCall(wsd, 'GET', '/project')).projects.length, 1);
  browser = await launchBrowser();
  const pages = [];
  for (const [uid, peer] of [['alice', 'bob'], ['bob', 'alice']]) {
    const page = await browser.newPage();
    await signIn(page, wsd);
    await openSection(page, 'call');
    await choose(page, 'first-steps', token);
    assert.equal(await page.isHidden('#call-no-sdk'), true, 'the dashboard says the JS SDK is not in this build');
    await page.fill('#call-uid', uid);
    await page.fill('#call-peer', peer);
    await page.fill('#call-room', 'first-call');
    await page.click('#call-join');
    await page.waitForFunction(() => document.querySelector('#call-conn-state')?.textContent === 'connected');
    await page.waitForSelector('#call-start:not([disabled])');
    pages.push(page);
  }
  const [alice, bob] = pages;
  await alice.bringToFront();
  await alice.click('#call-start');
  await bob.bringToFront();
  await bob.waitForSelector('#call-incoming:not([hidden])');
  assert.equal(await text(bob, '#call-incoming'), 'Incoming call from alice');
  await bob.click('#call-answer');
  for (const page of pages) {
    await page.bringToFront();
    await page.waitForFunction(() => document.querySelector('#call-pc-state')?.textContent === 'connected', null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('#remote-video').videoWidth > 0, null, { timeout: 20000 });
  }
  await screenshot(alice, 'first-steps-call');
  browser.assertNoPageErrors();
});
