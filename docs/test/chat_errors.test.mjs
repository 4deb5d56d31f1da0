// docs/examples/chat.html tells its user why it could not connect: opened from disk in
// Debian's chromium (playwright-core) against a real wsd, with a wrong token, an expired
// token and an unknown project it shows the server's code and message, not only 1006; a
// token that expires while the chat is open shows the close reason the server gave.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../server/test/integration/lib/server.mjs';
import { freshProject, issueToken, patchToken } from '../../server/test/integration/lib/admin.mjs';

const CHAT = new URL('../examples/chat.html', import.meta.url);
const CHROMIUM = process.env.WSD_CHROMIUM ?? '/usr/bin/chromium';

let wsd;
let tenant;
let browser;
let profile;
before(async () => {
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM} (apt-get install chromium)`);
  wsd = await startServer();
  tenant = await freshProject(wsd);
  profile = mkdtempSync(join(tmpdir(), 'wsd-chat-errors-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});
after(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await wsd?.dispose();
});

// Opens the page with the fields filled from its address and presses Join.
async function openChat(project, token) {
  const url = new URL(CHAT);
  for (const [k, v] of Object.entries({ server: `ws://127.0.0.1:${wsd.port}`, project, token, uid: 'alice' })) {
    url.searchParams.set(k, v);
  }
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url.href);
  await page.click('#join-button');
  return { page, errors };
}

async function statusShows(page, text) {
  await page.locator('#status.error', { hasText: text }).waitFor({ timeout: 10000 });
  return page.locator('#status').textContent();
}

const refusals = [
  { name: 'a wrong token', query: () => [tenant.project, 'wrong'], code: 'invalid_token' },
  { name: 'an expired token', query: async () => [tenant.project, await issueToken(wsd, tenant.project, Date.now() - 1000)], code: 'token_expired' },
  { name: 'an unknown project', query: () => ['no_such_project', tenant.token], code: 'project_not_found' },
];

for (const { name, query, code } of refusals) {
  test(`with ${name} the page shows ${code} and the server's message`, { timeout: 30000 }, async () => {
    const { page, errors } = await openChat(...(await query()));
    const shown = await statusShows(page, code);
    assert.match(shown, /Refused by the server/);
    assert.doesNotMatch(shown, /did not answer/);
    assert.equal(await page.locator('#join').isVisible(), true, 'the form is back to join again');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a token that expires while the chat is open shows token_expired', { timeout: 30000 }, async () => {
  const token = await issueToken(wsd, tenant.project);
  const { page, errors } = await openChat(tenant.project, token);
  await page.locator('#status', { hasText: 'Connected as alice.' }).waitFor({ timeout: 10000 });
  const r = await patchToken(wsd, tenant.project, token, Date.now() - 1000);
  assert.equal(r.status, 200);
  const shown = await statusShows(page, 'token_expired');
  assert.match(shown, /1008/);
  assert.deepEqual(errors, []);
  await page.close();
});
