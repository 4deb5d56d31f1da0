// docs/getting-started.md, followed as written: its curl commands (step 2) run with bash
// against a real wsd, then docs/examples/chat.html (step 3) is opened from disk in two
// tabs of Debian's chromium (playwright-core), joined as alice and bob, and used to chat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer, WSD_BIN } from '../../server/test/integration/lib/server.mjs';

const GUIDE = new URL('../getting-started.md', import.meta.url).pathname;
const CHAT = new URL('../examples/chat.html', import.meta.url);
const CHROMIUM = process.env.WSD_CHROMIUM ?? '/usr/bin/chromium';

let wsd;
let browser;
let profile;
before(async () => {
  wsd = await startServer();
});
after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await wsd?.dispose();
});

// The shell blocks of the guide, as written.
function shellBlocks(markdown) {
  return [...markdown.matchAll(/^```sh\n(.*?)^```$/gms)].map((m) => m[1]);
}

// On its first start (an empty data dir, no --admin-token, as start.sh runs it) wsd shows
// the token it made once, on stdout, and keeps it in the data dir.
async function firstStartNotice() {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-guide-'));
  const proc = spawn(WSD_BIN, ['all', '--listen', '127.0.0.1:0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const stdout = await new Promise((resolve, reject) => {
      let text = '';
      proc.stdout.on('data', (d) => {
        text += d;
        if (/^wsd: admin token: .*\n/m.test(text)) resolve(text);
      });
      proc.on('exit', (code) => reject(new Error(`wsd exited with ${code} before showing the admin token`)));
    });
    return { stdout, kept: readFileSync(join(dataDir, 'admin-token'), 'utf8').trim() };
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await once(proc, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('step 1: wsd prints the admin token the guide tells you to copy', async () => {
  const { stdout, kept } = await firstStartNotice();
  assert.equal(/^wsd: admin token: (\S+)$/m.exec(stdout)?.[1], kept);
  assert.ok(shellBlocks(readFileSync(GUIDE, 'utf8')).some((b) => b.includes('bash deploy/local/start.sh')));
});

let token;
test('step 2: the curl commands create the project and a token', () => {
  const block = shellBlocks(readFileSync(GUIDE, 'utf8')).find((b) => b.includes('curl'));
  assert.ok(block, 'the guide has a shell block with curl commands');
  const commands = block.split('\n').filter((line) => line.startsWith('curl '));
  assert.equal(commands.length, 2, 'one command for the project, one for the token');
  const answers = commands.map((command) => {
    const local = command.replaceAll('localhost:8080', `127.0.0.1:${wsd.port}`);
    assert.notEqual(local, command, 'the commands talk to localhost:8080, as wsd listens there by default');
    return JSON.parse(execFileSync('bash', ['-c', local], { env: { ...process.env, ADMIN: wsd.adminToken } }).toString());
  });
  assert.equal(answers[0].status, 'success');
  assert.equal(answers[0].key, 'demo');
  assert.equal(answers[1].status, 'success');
  assert.equal(answers[1].projectKey, 'demo');
  token = answers[1].token;
});

async function joinAs(page, uid) {
  const url = new URL(CHAT);
  url.searchParams.set('server', `ws://127.0.0.1:${wsd.port}`);
  url.searchParams.set('project', 'demo');
  await page.goto(url.href);
  await page.fill('#token', token);  // pasted, as the guide says
  await page.fill('#uid', uid);
  await page.click('#join-button');
  await page.locator('#status', { hasText: `Connected as ${uid}.` }).waitFor({ timeout: 5000 });
}

const logLine = (page, text) => page.locator('#log li', { hasText: text }).first().waitFor({ timeout: 5000 });

test('step 3: two tabs of docs/examples/chat.html chat with each other', { timeout: 60000 }, async () => {
  assert.ok(token, 'step 2 issued a token');
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (apt-get install chromium)`);
  profile = mkdtempSync(join(tmpdir(), 'wsd-docs-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const errors = [];
  browser.on('page', (page) => page.on('pageerror', (e) => errors.push(String(e))));
  const alice = await browser.newPage();
  const bob = await browser.newPage();
  await joinAs(alice, 'alice');
  await joinAs(bob, 'bob');

  await logLine(alice, 'bob joined');
  for (const page of [alice, bob]) {
    await page.locator('#online', { hasText: 'Online: alice, bob' }).waitFor({ timeout: 5000 });
  }

  await alice.fill('#text', 'hello bob');
  await alice.press('#text', 'Enter');
  await logLine(bob, 'alice:hello bob');
  await logLine(alice, 'alice:hello bob');  // a broadcast reaches the sender too
  await bob.fill('#text', 'hi alice <b>not bold</b>');
  await bob.press('#text', 'Enter');
  await logLine(alice, 'bob:hi alice <b>not bold</b>');  // shown as text, never as markup
  assert.equal(await alice.locator('#log b', { hasText: 'not bold' }).count(), 0);

  await bob.close();
  await logLine(alice, 'bob left');
  assert.deepEqual(errors, [], 'no uncaught errors in the page');
});
