// The console section in chromium against a real wsd: a WebSocket session of the chosen
// project and token, a template for every client message of schemas/client/ (each valid
// against its schema), messages sent from the editor and every answer shown; bad JSON
// caught on the page; server-API calls with the project's server secret, whose messages
// the session receives. Also: the JavaScript SDK snippet of the connection config, run in
// Node as copied, talks to wsd.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bound } from '../../server/test/integration/lib/clients.mjs';
import { assertValid } from '../../server/test/integration/lib/schemas.mjs';
import { adminCall, launchBrowser, openSection, projectWithToken, screenshot, signIn, startWsd, text } from './lib/harness.mjs';

const CLIENT_SCHEMAS = new URL('../../schemas/client/', import.meta.url).pathname;
const SDK_JS = new URL('../../sdk-js', import.meta.url).pathname;

let wsd;
let browser;
let page;
let token;

before(async () => {
  wsd = await startWsd();
  token = await projectWithToken(wsd, 'console');
  browser = await launchBrowser();
  page = await browser.newPage();
  await signIn(page, wsd);
  await openSection(page, 'console');
});

after(async () => {
  await browser?.close();
  await wsd?.dispose();
});

// The log's lines as [direction, type, text].
const logLines = () => page.$$eval('#console-log .log-line', (lines) => lines.map((l) => [l.classList[1], l.querySelector('.log-type').textContent, l.querySelector('.log-detail').textContent]));
const received = (type, count = 1) =>
  page.waitForFunction(({ type, count }) => [...document.querySelectorAll('#console-log .log-line.in .log-type')].filter((t) => t.textContent === type).length >= count, { type, count });

async function sendFromEditor(template, edit = (m) => m) {
  await page.selectOption('#console-template', template);
  const message = edit(JSON.parse(await page.inputValue('#console-message')));
  await page.fill('#console-message', JSON.stringify(message, null, 2));
  await page.click('#console-send');
}

test('there is a template for every client message type, each valid against its schema', async () => {
  const types = readdirSync(CLIENT_SCHEMAS).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  const offered = await page.$$eval('#console-template option', (options) => options.map((o) => o.value));
  assert.deepEqual([...offered].sort(), types);
  for (const type of offered) {
    await page.selectOption('#console-template', type);
    const message = JSON.parse(await page.inputValue('#console-message'));
    assert.equal(message.type, type);
    assertValid(`client/${type}`, message);
  }
});

test('connect binds the uid; messages from the editor go out as written and every answer is shown', async () => {
  await page.fill('#console-uid', 'console_user');
  await page.click('#console-connect');
  await received('bind_success');
  assert.equal(await text(page, '#console-state'), 'connected');

  await sendFromEditor('room_join');
  await received('room_joined');
  await sendFromEditor('room_send', (m) => ({ ...m, echo: true, msg: { text: 'from the console' } }));
  await received('room_send_success');
  await received('room_message');
  await sendFromEditor('room_history');
  await received('room_history');
  const history = JSON.parse((await logLines()).findLast(([dir, type]) => dir === 'in' && type === 'room_history')[2]);
  assert.deepEqual(history.messages.map((m) => m.msg), [{ text: 'from the console' }]);

  // What the server refuses comes back as its error, shown like any other message.
  await sendFromEditor('send', (m) => ({ type: 'send', msg: m.msg }));
  await received('error');
  const error = JSON.parse((await logLines()).findLast(([dir, type]) => dir === 'in' && type === 'error')[2]);
  assert.equal(error.code, 'invalid_message');

  const sent = (await logLines()).filter(([dir]) => dir === 'out').map(([, type]) => type);
  assert.deepEqual(sent, ['bind', 'room_join', 'room_send', 'room_history', 'send']);
  browser.assertNoPageErrors();
});

test('text that is not a JSON object is refused on the page and nothing is sent', async () => {
  const before = (await logLines()).length;
  await page.fill('#console-message', '{"type": "list",');
  await page.click('#console-send');
  await page.waitForSelector('#console-error:not([hidden])');
  assert.match(await text(page, '#console-error'), /^Not JSON: /);
  await page.fill('#console-message', '["list"]');
  await page.click('#console-send');
  assert.equal(await text(page, '#console-error'), 'A client message is a JSON object with a type.');
  assert.equal((await logLines()).length, before);
});

test('server-API calls with the project secret reach the session; a wrong secret shows the 401', async () => {
  const { secret } = await adminCall(wsd, 'POST', '/project/secret', { key: 'console' });
  await page.fill('#api-secret', secret);
  await page.selectOption('#api-call', 'broadcast');
  await page.fill('#api-body', JSON.stringify({ msg: { banner: 'from the API form' } }));
  await page.click('#api-send');
  await page.waitForFunction(() => document.querySelector('#api-status').textContent === '200');
  assert.equal(JSON.parse(await text(page, '#api-answer')).status, 'success');
  await received('broadcast');

  await page.selectOption('#api-call', 'room_send');
  assert.equal(await page.isVisible('#api-room'), true);
  await page.fill('#api-room', 'lobby');
  await page.click('#api-send');
  await received('room_message', 2);
  const roomMessage = JSON.parse((await logLines()).findLast(([dir, type]) => dir === 'in' && type === 'room_message')[2]);
  assert.deepEqual(roomMessage.msg, { notice: 'quiet hours' });

  await page.selectOption('#api-call', 'send');
  await page.fill('#api-body', JSON.stringify({ to: 'console_user', msg: 'direct from the API form' }));
  await page.click('#api-send');
  await received('direct');

  await page.fill('#api-secret', 'not-the-secret');
  await page.click('#api-send');
  await page.waitForFunction(() => document.querySelector('#api-status').textContent === '401');
  assert.equal(JSON.parse(await text(page, '#api-answer')).code, 'unauthorized');
  await screenshot(page, '10-console');
  await page.click('#console-connect');
  await page.waitForFunction(() => document.querySelector('#console-state').textContent === 'not connected');
  browser.assertNoPageErrors();
});

// Runs `code` as an ES module in Node, where `@wsd/client` is this checkout's sdk-js.
function runModule(code) {
  const dir = mkdtempSync(join(tmpdir(), 'wsd-snippet-'));
  mkdirSync(join(dir, 'node_modules', '@wsd'), { recursive: true });
  symlinkSync(SDK_JS, join(dir, 'node_modules', '@wsd', 'client'));
  writeFileSync(join(dir, 'app.mjs'), code);
  const proc = spawn(process.execPath, ['app.mjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  return {
    output: () => output,
    printed: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => pattern.test(output) && resolve(output);
        proc.stdout.on('data', check);
        proc.on('exit', (code) => reject(new Error(`the snippet exited with ${code}:\n${output}`)));
        check();
      }),
    async stop() {
      if (proc.exitCode === null) {
        proc.kill();
        await new Promise((resolve) => proc.on('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('the JavaScript SDK snippet runs in Node as copied: it sends to user_2 and prints what it receives', { timeout: 30000 }, async () => {
  await openSection(page, 'config');
  await page.fill('#config-uid', 'snippet_user');
  const code = await page.textContent('#config-sdk-js-snippet');
  assert.match(code, /from '@wsd\/client'/);
  assert.ok(code.includes(token), 'the snippet carries the chosen token');

  // user_2, the snippet's recipient, online with a client of the integration suite.
  const user2 = await bound(wsd.server, { project: 'console', token }, 'user_2');
  const snippet = runModule(code);
  try {
    const direct = await user2.next('direct', 20000);
    assert.equal(direct.from, 'snippet_user');
    assert.equal(direct.msg, 'Hello');
    await user2.send({ type: 'send', to: 'snippet_user', msg: { text: 'hi back' } });
    await snippet.printed(/^user_2: \{"text":"hi back"\}$/m);
  } finally {
    user2.close();
    await snippet.stop();
  }
});
