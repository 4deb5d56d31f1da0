// Every section of the dashboard driven by clicks in chromium against a real wsd: sign-in,
// projects (live counts, delete with confirmation), tokens (issue, expiry, revoke),
// connection config (URLs, snippets that really connect, a test per transport), mail
// (sent to a real SMTP sink, rate limit shown), the live view (events and rates), the
// language toggle and a phone-sized screen. Screenshots of each go to SCREENSHOTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adminCall, choose, launchBrowser, openSection, projectWithToken, screenshot, signIn, startWsd, text,
} from './lib/harness.mjs';
import { parseMessage } from '../../server/test/integration/lib/smtp.mjs';

// Two mails a minute, so the third shows the limit.
const MAIL_LIMIT = 2;

let wsd;
let browser;
let page;
const requests = [];

before(async () => {
  wsd = await startWsd(['--mail-limit', String(MAIL_LIMIT)]);
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (r) => requests.push({ url: r.url(), headers: r.headers() }));
});

after(async () => {
  await browser?.close();
  await wsd?.dispose();
});

// A client of `project` in a page of its own (the browser's WebSocket), bound to `uid`.
async function openClient(project, token, uid) {
  const client = await browser.newPage();
  await client.goto(`${wsd.url}/healthz`);
  await client.evaluate(
    ({ url, uid }) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        window.ws = ws;
        ws.onerror = () => reject(new Error('websocket error'));
        ws.onmessage = (e) => {
          const msg = JSON.parse(e.data);
          if (msg.type === 'connected') ws.send(JSON.stringify({ type: 'bind', uid }));
          if (msg.type === 'bind_success') resolve();
        };
      }),
    { url: `${wsd.url.replace('http', 'ws')}/ws?project=${project}&token=${token}`, uid },
  );
  await page.bringToFront();  // a page in the background gets few animation frames
  return client;
}

test('a wrong admin token is refused; the right one opens the console and stays out of URLs and storage other than this tab', async () => {
  await page.goto(`${wsd.url}/`);
  await page.waitForSelector('#sign-in-view:not([hidden])');
  await screenshot(page, '00-sign-in');
  await page.fill('#admin-token', 'not-the-token');
  await page.click('#sign-in-submit');
  await page.waitForSelector('#sign-in-error:not([hidden])');
  assert.match(await text(page, '#sign-in-error'), /refused/);

  await signIn(page, wsd);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('wsd.adminToken')), wsd.adminToken);
  assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes(wsd.adminToken), 'the admin token is in localStorage');
  assert.equal(await page.inputValue('#admin-token'), '', 'the sign-in field still holds the token');
  const cookies = await browser.context.cookies();
  assert.ok(!cookies.some((c) => c.value.includes(wsd.adminToken)), 'the admin token is in a cookie');
  assert.ok(!requests.some((r) => r.url.includes(wsd.adminToken)), 'the admin token appeared in a URL');
  const listing = requests.filter((r) => new URL(r.url).pathname === '/project');
  assert.ok(listing.length > 0);
  assert.ok(listing.some((r) => r.headers.authorization === `Bearer ${wsd.adminToken}`));

  // A reload keeps the session (sessionStorage) without asking again.
  await page.reload();
  await page.waitForSelector('#app-view:not([hidden])');
  browser.assertNoPageErrors();
});

test('projects: create from the form, live connection and online counts, delete only after typing the key', async () => {
  await openSection(page, 'projects');
  await page.fill('#project-key', 'demo');
  await page.fill('#project-name', 'Demo project');
  await page.click('#project-create');
  await page.waitForSelector('#projects-table tr[data-key="demo"]');
  assert.equal(await text(page, '#projects-table tr[data-key="demo"] td:nth-child(2)'), 'Demo project');

  // The same key again: the server's 409 is shown.
  await page.fill('#project-key', 'demo');
  await page.click('#project-create');
  await page.waitForSelector('#project-create-error:not([hidden])');
  assert.match(await text(page, '#project-create-error'), /project_exists/);

  // Two clients (one uid twice, one other): 3 connections, 2 online uids, seen without a reload.
  const token = (await adminCall(wsd, 'POST', '/token', { projectKey: 'demo' })).token;
  const clients = [await openClient('demo', token, 'alice'), await openClient('demo', token, 'alice'), await openClient('demo', token, 'bob')];
  await page.waitForFunction(() => document.querySelector('#projects-table tr[data-key="demo"] [data-col="connections"]')?.textContent === '3');
  await page.waitForFunction(() => document.querySelector('#projects-table tr[data-key="demo"] [data-col="online"]')?.textContent === '2');
  assert.equal(await text(page, '#stat-connections'), '3');
  await screenshot(page, '01-projects');
  await clients[2].close();
  await page.waitForFunction(() => document.querySelector('#projects-table tr[data-key="demo"] [data-col="online"]')?.textContent === '1');

  // Delete: the confirm button waits for the key; cancelling keeps the project.
  await page.fill('#project-key', 'scratch');
  await page.click('#project-create');
  await page.waitForSelector('#projects-table tr[data-key="scratch"]');
  await page.click('#projects-table tr[data-key="scratch"] [data-action="delete"]');
  await page.waitForSelector('#dialog[open]');
  assert.equal(await page.isDisabled('#dialog-confirm'), true);
  await screenshot(page, '01-projects-delete-confirm');
  await page.click('#dialog-cancel');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  assert.ok(await page.$('#projects-table tr[data-key="scratch"]'));
  await page.click('#projects-table tr[data-key="scratch"] [data-action="delete"]');
  await page.fill('#dialog input[name="confirm"]', 'scratch');
  await page.click('#dialog-confirm');
  await page.waitForSelector('#projects-table tr[data-key="scratch"]', { state: 'detached' });
  const left = (await adminCall(wsd, 'GET', '/project')).projects.map((p) => p.key);
  assert.deepEqual(left, ['demo']);
  for (const c of clients.slice(0, 2)) await c.close();
  browser.assertNoPageErrors();
});

test('tokens: issue, change the expiry (to never, to the past), revoke after confirming', async () => {
  await openSection(page, 'tokens');
  await choose(page, 'demo');
  const before = (await adminCall(wsd, 'GET', '/project')).projects[0].tokens.length;
  await page.selectOption('#token-expiry', 'never');
  await page.click('#token-issue');
  await page.waitForSelector('#token-new:not([hidden])');
  const issued = await text(page, '#token-new-value');
  assert.match(issued, /^[0-9a-f]{40}$/);
  const row = `#tokens-table tr[data-token="${issued}"]`;
  await page.waitForSelector(row);
  assert.equal(await text(page, `${row} [data-col="expires"]`), 'never');
  assert.equal((await adminCall(wsd, 'GET', '/project')).projects[0].tokens.length, before + 1);

  // Change the expiry to a fixed date, then into the past (the token shows expired).
  await page.click(`${row} [data-action="expiry"]`);
  await page.waitForSelector('#dialog[open]');
  await page.uncheck('#dialog input[name="never"]');
  await page.fill('#dialog input[name="expiresAt"]', '2020-01-02T03:04');
  await screenshot(page, '02-tokens-expiry-dialog');
  await page.click('#dialog-confirm');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('expired'), `${row} td:nth-child(4)`);
  const record = (await adminCall(wsd, 'GET', '/project')).projects[0].tokens.find((x) => x.token === issued);
  assert.equal(record.expiresAt, new Date('2020-01-02T03:04').getTime());
  await page.click(`${row} [data-action="expiry"]`);
  await page.check('#dialog input[name="never"]');
  await page.click('#dialog-confirm');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'never', `${row} [data-col="expires"]`);
  await screenshot(page, '02-tokens');

  // Revoke.
  await page.click(`${row} [data-action="revoke"]`);
  await page.waitForSelector('#dialog[open]');
  await page.click('#dialog-confirm');
  await page.waitForSelector(row, { state: 'detached' });
  const tokens = (await adminCall(wsd, 'GET', '/project')).projects[0].tokens.map((x) => x.token);
  assert.ok(!tokens.includes(issued));
  browser.assertNoPageErrors();
});

test('connection config: URLs and snippets carry project and token, each transport connects, and the snippets run as copied', async () => {
  const token = await projectWithToken(wsd, 'cfg');
  await openSection(page, 'config');
  await choose(page, 'cfg', token);
  await page.fill('#config-uid', 'user_9');
  const host = new URL(wsd.url).host;
  await page.waitForFunction((t) => document.querySelector('#config-ws-url')?.textContent.includes(t), token);
  assert.equal(await text(page, '#config-ws-url'), `ws://${host}/ws?project=cfg&token=${token}&mode=long`);
  assert.equal(await text(page, '#config-sse-url'), `http://${host}/sse?project=cfg&token=${token}&mode=long`);
  assert.equal(await text(page, '#config-poll-url'), `http://${host}/poll?project=cfg&token=${token}&mode=long`);
  await page.selectOption('#config-mode', 'short');
  await page.waitForFunction(() => document.querySelector('#config-ws-url')?.textContent.endsWith('mode=short'));
  await page.selectOption('#config-mode', 'long');

  for (const transport of ['ws', 'sse', 'poll']) {
    await page.click(`#config-${transport}-test`);
    await page.waitForSelector(`#config-${transport}-result.ok`, { timeout: 15000 });
    assert.match(await text(page, `#config-${transport}-result`), /^connected · connId \S+$/);
  }
  await screenshot(page, '03-config');

  // The copy button puts the URL on the clipboard.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: wsd.url });
  await page.click('#config-ws .url-row .copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `ws://${host}/ws?project=cfg&token=${token}&mode=long`);

  // Each snippet, run as is in a page of the server's origin, connects and binds its uid:
  // its own console output shows bind_success.
  const runners = [];
  for (const transport of ['ws', 'sse', 'poll']) {
    const uid = `snippet_${transport}`;
    await page.fill('#config-uid', uid);
    await page.waitForFunction((u) => document.querySelector('#config-ws-snippet')?.textContent.includes(u), uid);
    const code = await text(page, `#config-${transport}-snippet`);
    const runner = await browser.newPage();
    runners.push(runner);
    await runner.goto(`${wsd.url}/healthz`);
    const bound = runner.waitForEvent('console', {
      predicate: async (m) => {
        const values = await Promise.all(m.args().map((a) => a.jsonValue()));
        return values.some((v) => (transport === 'ws' ? v === uid : v?.type === 'bind_success' && v.uid === uid));
      },
      timeout: 15000,
    });
    await runner.evaluate((source) => new Function(source)(), code);  // eslint-disable-line no-new-func
    await bound;
    await page.bringToFront();
  }
  for (const runner of runners) await runner.close();
  browser.assertNoPageErrors();
});

test('mail: the form sends through the relay and shows the rate limit, then the refusal with Retry-After', async () => {
  const token = await projectWithToken(wsd, 'mailer');
  await openSection(page, 'mail');
  await choose(page, 'mailer', token);
  await page.fill('#mail-to', 'ops@example.com');
  await page.fill('#mail-subject', '测试邮件 dashboard');
  await page.fill('#mail-text', 'plain body');
  await page.fill('#mail-html', '<p>html <strong>body</strong></p>');
  await page.fill('#mail-from-name', '通知服务');
  await page.click('#mail-send');
  await page.waitForFunction(() => document.querySelector('#mail-status')?.textContent === '200');
  assert.equal(await text(page, '#mail-used'), `1 of ${MAIL_LIMIT} used in the current window`);
  assert.equal(await text(page, '#mail-allowed'), 'allowed');
  const [message] = await wsd.sink.waitForCount(1);
  assert.deepEqual(message.rcptTos, ['ops@example.com']);
  const mail = parseMessage(message.data);
  assert.equal(mail.subject, '测试邮件 dashboard');
  assert.equal(mail.from.name, '通知服务');
  assert.equal(mail.text, 'plain body');
  assert.equal(mail.html, '<p>html <strong>body</strong></p>');
  await screenshot(page, '05-mail');

  await page.click('#mail-send');
  await page.waitForFunction((n) => document.querySelector('#mail-used')?.textContent.startsWith(`${n} of`), MAIL_LIMIT);
  await page.click('#mail-send');
  await page.waitForFunction(() => document.querySelector('#mail-status')?.textContent.startsWith('429'));
  assert.equal(await text(page, '#mail-allowed'), 'limit reached');
  assert.match(await text(page, '#mail-retry'), /^Retry after \d+ s$/);
  assert.equal(wsd.sink.count(), MAIL_LIMIT);
  await screenshot(page, '05-mail-rate-limited');
  browser.assertNoPageErrors();
});

test('live view: events of the project stream in as they are applied, with rates and connection counts', async () => {
  const token = await projectWithToken(wsd, 'live');
  await openSection(page, 'live');
  await choose(page, 'live');
  await page.waitForSelector('#live-status[data-status="streaming"]');
  const client = await openClient('live', token, 'carol');
  await client.evaluate(() => {
    for (let i = 0; i < 5; ++i) window.ws.send(JSON.stringify({ type: 'broadcast', msg: { n: i } }));
  });
  await page.waitForSelector('#live-table tr[data-type="conn.open"]');
  await page.waitForSelector('#live-table tr[data-type="uid.bind"]');
  await page.waitForFunction(() => document.querySelectorAll('#live-table tr[data-type="message.broadcast"]').length === 5);
  await page.waitForFunction(() => Number(document.querySelector('#live-rate').textContent) > 0);
  await page.waitForFunction(() => document.querySelector('#live-connections').textContent === '1');
  assert.equal(await text(page, '#live-online'), '1');
  assert.equal(Number(await text(page, '#live-total')), 7);
  // Newest first.
  assert.equal(await page.getAttribute('#live-table tbody tr:first-child', 'data-type'), 'message.broadcast');

  // The filter narrows the tail.
  await page.fill('#live-filter', 'uid.bind');
  await page.waitForFunction(() => [...document.querySelectorAll('#live-table tbody tr')].filter((r) => !r.hidden).length === 1);
  await page.fill('#live-filter', '');
  await screenshot(page, '06-live');

  await client.close();
  await page.waitForSelector('#live-table tr[data-type="conn.close"]');
  await page.waitForFunction(() => document.querySelector('#live-connections').textContent === '0');
  browser.assertNoPageErrors();
});

test('the language toggle switches every label to Chinese and back, and is remembered', async () => {
  await openSection(page, 'projects');
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await text(page, '[data-nav="projects"]'), '项目');
  assert.equal(await text(page, '[data-nav="call"]'), 'WebRTC 通话测试');
  assert.equal(await text(page, '#section-title'), '项目');
  assert.equal(await text(page, '#project-create'), '创建项目');
  await screenshot(page, '07-projects-zh');
  await openSection(page, 'mail');
  await screenshot(page, '07-mail-zh');
  await page.reload();
  await page.waitForSelector('#app-view:not([hidden])');
  assert.equal(await text(page, '[data-nav="mail"]'), '邮件发送测试');
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await text(page, '[data-nav="mail"]'), 'Mail test');
  browser.assertNoPageErrors();
});

test('on a phone-sized screen every section fits the width', async () => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone, wsd);
  for (const section of ['projects', 'tokens', 'config', 'call', 'mail', 'live', 'settings']) {
    await openSection(phone, section);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${section} is ${overflow}px wider than the screen`);
    await screenshot(phone, `08-phone-${section}`);
  }
  await phone.close();
  browser.assertNoPageErrors();
});

test('signing out forgets the admin token', async () => {
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in-view:not([hidden])');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('wsd.adminToken')), null);
  await page.reload();
  await page.waitForSelector('#sign-in-view:not([hidden])');
  browser.assertNoPageErrors();
});
