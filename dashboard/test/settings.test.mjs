// The settings section driven by clicks in chromium against a real wsd: the connection
// rules (only changed fields are sent; the page's Origin check and the server's 400;
// room history size and time),
// the server secret (issued once, rotated with a grace period, and the signing snippet
// really signs binds wsd accepts), webhooks (add, secret shown once, remove after
// confirming), Chinese labels and a phone-sized screen. Each change is checked through
// the admin API; screenshots go to SCREENSHOTS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  adminCall, choose, launchBrowser, openSection, projectWithToken, screenshot, signIn, startWsd, text,
} from './lib/harness.mjs';

let wsd;
let browser;
let page;
const patches = [];  // bodies of the page's PATCH /project requests, in order

before(async () => {
  wsd = await startWsd();
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (r) => {
    if (isPatch(r)) patches.push(JSON.parse(r.postData()));
  });
  await signIn(page, wsd);
});

after(async () => {
  await browser?.close();
  await wsd?.dispose();
});

const settingsOf = async (key) => (await adminCall(wsd, 'GET', '/project')).projects.find((p) => p.key === key).settings;

const isPatch = (r) => r.method() === 'PATCH' && new URL(r.url()).pathname === '/project';

// Clicks Save; resolves with the PATCH body the page sent once its answer is in the form.
async function save() {
  const answered = page.waitForResponse((r) => isPatch(r.request()));
  await page.click('#settings-save');
  const response = await answered;
  assert.equal(response.status(), 200);
  await page.waitForFunction(() => document.querySelector('#settings-changes').textContent === 'No changes');
  return JSON.parse(response.request().postData());
}

// A page of the server's origin with a WebSocket of `project`; resolves with wsd's answer
// to `bind` (bind_success or error).
async function bindFrom(project, token, bind) {
  const client = await browser.newPage();
  await client.goto(`${wsd.url}/healthz`);
  const answer = await client.evaluate(
    ({ url, bind }) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        ws.onerror = () => reject(new Error('websocket error'));
        ws.onmessage = (e) => {
          const msg = JSON.parse(e.data);
          if (msg.type === 'connected') ws.send(JSON.stringify(bind));
          if (msg.type === 'bind_success' || msg.type === 'error') {
            ws.close();
            resolve(msg);
          }
        };
      }),
    { url: `${wsd.url.replace('http', 'ws')}/ws?project=${project}&token=${token}`, bind },
  );
  await client.close();
  await page.bringToFront();
  return answer;
}

test('rules: the form shows the project settings and Save sends only the fields that changed', async () => {
  await projectWithToken(wsd, 'rules');
  await openSection(page, 'settings');
  await choose(page, 'rules');
  await page.waitForFunction(() => document.querySelector('#settings-max-connections').value === '0');
  assert.equal(await page.isChecked('#settings-signed-bind'), false);
  assert.equal(await page.inputValue('#settings-origins'), '');
  assert.equal(await page.inputValue('#settings-offline'), 'at_most_once');
  assert.equal(await page.isDisabled('#settings-save'), true, 'nothing to save yet');

  await page.click('#settings-signed-bind');
  await page.fill('#settings-max-connections', '25');
  assert.equal(await text(page, '#settings-changes'), 'Changed: signed bind, max connections');
  assert.deepEqual(await save(), { key: 'rules', settings: { signedBind: true, maxConnections: 25 } });
  let settings = await settingsOf('rules');
  assert.equal(settings.signedBind, true);
  assert.equal(settings.maxConnections, 25);

  await page.fill('#settings-origins', 'https://app.example\n\n  http://localhost:3000  \n');
  assert.deepEqual(await save(), { key: 'rules', settings: { allowedOrigins: ['https://app.example', 'http://localhost:3000'] } });
  await page.selectOption('#settings-offline', 'at_least_once');
  assert.deepEqual(await save(), { key: 'rules', settings: { offlineDelivery: 'at_least_once' } });
  settings = await settingsOf('rules');
  assert.deepEqual(settings, {
    signedBind: true,
    allowedOrigins: ['https://app.example', 'http://localhost:3000'],
    maxConnections: 25,
    offlineDelivery: 'at_least_once',
    roomHistorySize: 100,
    roomHistoryTtl: 86400,
    hasSecret: false,
  });
  // The form shows what the server answered, one Origin a line.
  assert.equal(await page.inputValue('#settings-origins'), 'https://app.example\nhttp://localhost:3000');
  await screenshot(page, '09-settings-rules');

  // A change made elsewhere shows up by itself while the form is not being edited.
  await adminCall(wsd, 'PATCH', '/project', { key: 'rules', settings: { maxConnections: 7 } });
  await page.waitForFunction(() => document.querySelector('#settings-max-connections').value === '7');
});

test('rules: a line that is not an Origin is caught on the page; one the server refuses shows its 400', async () => {
  await openSection(page, 'settings');
  await choose(page, 'rules');
  const before = await settingsOf('rules');
  const sent = patches.length;

  await page.fill('#settings-origins', 'https://app.example\napp.example/path');
  await page.waitForSelector('#settings-origins-error:not([hidden])');
  assert.match(await text(page, '#settings-origins-error'), /app\.example\/path/);
  await page.click('#settings-save');
  await page.waitForSelector('#settings-error:not([hidden])');
  assert.match(await text(page, '#settings-error'), /^Not an Origin/);
  assert.equal(patches.length, sent, 'the page sent an Origin it knew was wrong');

  // The right shape but longer than the server takes (256 characters): wsd's 400.
  const long = `https://${'a'.repeat(250)}.example`;
  await page.fill('#settings-origins', `https://app.example\n${long}`);
  await page.waitForSelector('#settings-origins-error', { state: 'hidden' });
  await page.click('#settings-save');
  await page.waitForFunction(() => document.querySelector('#settings-error').textContent.startsWith('400 bad_request: '));
  assert.match(await text(page, '#settings-error'), /^400 bad_request: \/settings\/allowedOrigins\/1/);
  assert.deepEqual(patches.at(-1), { key: 'rules', settings: { allowedOrigins: ['https://app.example', long] } });
  assert.deepEqual(await settingsOf('rules'), before, 'a refused change changed something');
  await screenshot(page, '09-settings-origin-error');

  // The edit stays in the form; putting the server's list back leaves nothing to save.
  assert.equal(await page.inputValue('#settings-origins'), `https://app.example\n${long}`);
  await page.fill('#settings-origins', before.allowedOrigins.join('\n'));
  await page.waitForFunction(() => document.querySelector('#settings-changes').textContent === 'No changes');
  browser.assertNoPageErrors();
});

test('room history: size and time are edited like the other rules; values out of range are caught and nothing is sent', async () => {
  await projectWithToken(wsd, 'history');
  await openSection(page, 'settings');
  await choose(page, 'history');
  await page.waitForFunction(() => document.querySelector('#settings-room-history-size').value === '100');
  assert.equal(await page.inputValue('#settings-room-history-ttl'), '86400');

  await page.fill('#settings-room-history-size', '500');
  await page.fill('#settings-room-history-ttl', '3600');
  assert.equal(await text(page, '#settings-changes'), 'Changed: room history, room history time');
  assert.deepEqual(await save(), { key: 'history', settings: { roomHistorySize: 500, roomHistoryTtl: 3600 } });
  let settings = await settingsOf('history');
  assert.equal(settings.roomHistorySize, 500);
  assert.equal(settings.roomHistoryTtl, 3600);

  // 0 keeps no history: a valid value of its own.
  await page.fill('#settings-room-history-size', '0');
  assert.deepEqual(await save(), { key: 'history', settings: { roomHistorySize: 0 } });

  const sent = patches.length;
  await page.fill('#settings-room-history-size', '10001');
  await page.fill('#settings-room-history-ttl', '0');
  assert.equal(await page.getAttribute('#settings-room-history-size', 'aria-invalid'), '');
  await page.click('#settings-save');
  await page.waitForSelector('#settings-error:not([hidden])');
  assert.equal(await text(page, '#settings-error'),
    'Room history must be a whole number from 0 to 10000. Room history time must be whole seconds from 1 to 2592000.');
  assert.equal(patches.length, sent, 'a PATCH went out with values the page knows are out of range');
  settings = await settingsOf('history');
  assert.equal(settings.roomHistorySize, 0);
  assert.equal(settings.roomHistoryTtl, 3600);
  await screenshot(page, '09-settings-room-history');
  await page.fill('#settings-room-history-size', '0');
  await page.fill('#settings-room-history-ttl', '3600');
  browser.assertNoPageErrors();
});

test('secret: issued once with a copy button, rotated with a grace period; the snippet signs binds wsd accepts', async () => {
  const token = await projectWithToken(wsd, 'signed');
  await openSection(page, 'settings');
  await choose(page, 'signed');
  await page.waitForFunction(() => document.querySelector('#secret-badge').textContent === 'no secret');
  assert.equal(await text(page, '#secret-issue'), 'Issue secret');
  assert.equal(await page.isHidden('#secret-grace-field'), true);

  await page.click('#secret-issue');
  await page.waitForSelector('#secret-new:not([hidden])');
  const first = await text(page, '#secret-value');
  assert.match(first, /^[0-9a-f]{64}$/);
  assert.equal(await text(page, '#secret-warning'), 'Copy it now: it is not shown again.');
  assert.equal(await page.$('#secret-previous'), null, 'a first secret replaced none');
  await page.waitForFunction(() => document.querySelector('#secret-badge').textContent === 'secret set');
  assert.equal(await text(page, '#secret-issue'), 'Rotate secret');
  assert.equal((await settingsOf('signed')).hasSecret, true);
  assert.ok(!JSON.stringify(await adminCall(wsd, 'GET', '/project')).includes(first), 'the list shows the secret');
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: wsd.url });
  await page.click('#secret-new .copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);

  // Signed bind on (by the switch); the snippet, run as copied, makes binds wsd accepts.
  await page.click('#settings-signed-bind');
  assert.deepEqual(await save(), { key: 'signed', settings: { signedBind: true } });
  const snippet = await text(page, '#secret-snippet-code');
  assert.match(snippet, /crypto\.createHmac\('sha256', secret\)\.update\(uid \+ ':' \+ exp\)\.digest\('hex'\)/);
  const signBind = new Function('require', `${snippet}\nreturn signBind;`)(createRequire(import.meta.url));  // eslint-disable-line no-new-func
  assert.equal((await bindFrom('signed', token, { type: 'bind', uid: 'alice' })).code, 'bind_signature_required');
  assert.equal((await bindFrom('signed', token, signBind('alice', first))).type, 'bind_success');
  await screenshot(page, '09-settings-secret');

  // Rotate, the old secret valid one more hour: both sign binds wsd accepts.
  await page.selectOption('#secret-grace', '3600');
  await page.click('#secret-issue');
  await page.waitForSelector('#dialog[open]');
  assert.match(await text(page, '#dialog .dialog-body'), /keeps working for 1 hour/);
  await page.click('#dialog-confirm');
  await page.waitForFunction((old) => {
    const value = document.querySelector('#secret-value')?.textContent;
    return value && value !== old;
  }, first);
  const second = await text(page, '#secret-value');
  assert.match(second, /^[0-9a-f]{64}$/);
  assert.match(await text(page, '#secret-previous'), /^The previous secret stays valid until /);
  assert.equal((await bindFrom('signed', token, signBind('bob', second))).type, 'bind_success');
  assert.equal((await bindFrom('signed', token, signBind('bob', first))).type, 'bind_success', 'the grace period');

  // Rotate with no grace: only the newest secret signs.
  await page.selectOption('#secret-grace', '0');
  await page.click('#secret-issue');
  await page.waitForSelector('#dialog[open]');
  await page.click('#dialog-confirm');
  await page.waitForFunction((old) => document.querySelector('#secret-value')?.textContent !== old, second);
  const third = await text(page, '#secret-value');
  assert.equal((await bindFrom('signed', token, signBind('carol', third))).type, 'bind_success');
  assert.equal((await bindFrom('signed', token, signBind('carol', second))).code, 'bind_signature_invalid');

  // The secret belongs to the project it was issued for: another project does not show it.
  await choose(page, 'rules');
  await page.waitForSelector('#secret-new', { state: 'hidden' });
  browser.assertNoPageErrors();
});

test('webhooks: add with chosen events (secret shown once), listed as the server has it, removed after confirming', async () => {
  await projectWithToken(wsd, 'hooked');
  await openSection(page, 'settings');
  await choose(page, 'hooked');
  await page.waitForSelector('#webhooks-empty:not([hidden])');
  const events = await page.$$eval('#webhook-events input', (inputs) => inputs.map((i) => i.value));
  assert.deepEqual(events, ['connect', 'disconnect', 'online', 'offline', 'message', 'room']);

  // The page's own checks: no events, a URL that is not http(s).
  await page.fill('#webhook-url', 'https://backend.example/wsd-hooks');
  await page.click('#webhook-add');
  await page.waitForFunction(() => document.querySelector('#webhook-error').textContent === 'Choose at least one event.');
  await page.fill('#webhook-url', 'ftp://backend.example/hooks');
  await page.check('#webhook-events input[value="message"]');
  await page.click('#webhook-add');
  await page.waitForFunction(() => document.querySelector('#webhook-error').textContent.includes('http://'));
  assert.deepEqual((await adminCall(wsd, 'GET', '/webhook?projectKey=hooked')).webhooks, []);

  await page.fill('#webhook-url', 'https://backend.example/wsd-hooks');
  await page.check('#webhook-events input[value="connect"]');
  await page.click('#webhook-add');
  await page.waitForSelector('#webhook-new:not([hidden])');
  const secret = await text(page, '#webhook-secret');
  assert.match(secret, /^[0-9a-f]{64}$/);
  assert.match(await text(page, '#webhook-new'), /Copy it now: it is not shown again\./);
  const [hook] = (await adminCall(wsd, 'GET', '/webhook?projectKey=hooked')).webhooks;
  assert.equal(hook.url, 'https://backend.example/wsd-hooks');
  assert.deepEqual(hook.events, ['connect', 'message']);
  assert.equal(await page.getAttribute('#webhook-secret', 'data-id'), hook.id);
  const row = `#webhooks-table tr[data-id="${hook.id}"]`;
  await page.waitForSelector(row);
  assert.equal(await text(page, `${row} .webhook-url`), hook.url);
  assert.deepEqual(await page.$$eval(`${row} .chip`, (chips) => chips.map((c) => c.textContent)), ['connect', 'message']);
  assert.equal(await page.isChecked('#webhook-events input[value="message"]'), false, 'the form was not reset');

  // A URL longer than the server takes: wsd's 400 with its code and message.
  await page.fill('#webhook-url', `https://backend.example/${'x'.repeat(2100)}`);
  await page.check('#webhook-events input[value="online"]');
  await page.click('#webhook-add');
  await page.waitForFunction(() => document.querySelector('#webhook-error').textContent.startsWith('400 bad_request: /url'));
  assert.equal((await adminCall(wsd, 'GET', '/webhook?projectKey=hooked')).webhooks.length, 1);
  await page.fill('#webhook-url', '');
  await page.uncheck('#webhook-events input[value="online"]');
  await screenshot(page, '09-settings-webhooks');

  // Cancelling keeps it; confirming removes it.
  await page.click(`${row} [data-action="remove"]`);
  await page.waitForSelector('#dialog[open]');
  assert.match(await text(page, '#dialog .dialog-body'), /backend\.example\/wsd-hooks/);
  await page.click('#dialog-cancel');
  await page.waitForSelector('#dialog', { state: 'hidden' });
  assert.equal((await adminCall(wsd, 'GET', '/webhook?projectKey=hooked')).webhooks.length, 1);
  await page.click(`${row} [data-action="remove"]`);
  await page.click('#dialog-confirm');
  await page.waitForSelector(row, { state: 'detached' });
  await page.waitForSelector('#webhooks-empty:not([hidden])');
  assert.deepEqual((await adminCall(wsd, 'GET', '/webhook?projectKey=hooked')).webhooks, []);
  browser.assertNoPageErrors();
});

test('settings in Chinese, and on a phone-sized screen it fits the width', async () => {
  await adminCall(wsd, 'POST', '/webhook', { projectKey: 'hooked', url: 'https://backend.example/a-rather-long-path/for/wsd/webhooks', events: ['connect', 'disconnect', 'online', 'offline', 'message', 'room'] });
  await openSection(page, 'settings');
  await choose(page, 'hooked');
  await page.waitForSelector('#webhooks-table tbody tr');
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.equal(await text(page, '[data-nav="settings"]'), '项目设置');
  assert.equal(await text(page, '#section-title'), '项目设置');
  assert.equal(await text(page, '#secret-issue'), '生成密钥');
  assert.equal(await text(page, '#webhook-add'), '添加 Webhook');
  assert.equal(await text(page, '#settings-changes'), '没有修改');
  await screenshot(page, '09-settings-zh');
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.documentElement.lang === 'en');

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(phone, wsd, '#settings');
  await phone.waitForSelector('#section-settings:not([hidden])');
  await choose(phone, 'hooked');
  await phone.waitForSelector('#webhooks-table tbody tr');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `settings is ${overflow}px wider than the screen`);
  await screenshot(phone, '09-phone-settings');
  await phone.close();
  browser.assertNoPageErrors();
});
