// POST /mail: a mail goes out through a real SMTP server (lib/smtp_sink.py) or an HTTP
// mail API (a node:http server here playing MailChannels), under a per-token rate limit.
// Every test has a server, a sink and a project of its own. With the embedded log the
// tests also read the events a request left (lib/eventlog.mjs); with Kafka the log is a
// topic and those checks are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { startServer } from './lib/server.mjs';
import { freshProject, issueToken } from './lib/admin.mjs';
import { startSmtpSink, parseMessage, encodedWords, postMail } from './lib/smtp.mjs';
import { waitForEvents } from './lib/eventlog.mjs';
import { assertValid } from './lib/schemas.mjs';

const embedded = !process.env.WSD_KAFKA_BROKERS;

// A server with these flags, a sink (unless the flags name another relay) and a fresh
// project; all stopped when the test ends.
async function setup(t, { args = [], sink: sinkOptions = {}, relay = true } = {}) {
  const sink = relay ? await startSmtpSink(sinkOptions) : null;
  const relayArgs = sink ? ['--smtp-url', sink.url] : [];
  let server;
  t.after(async () => {
    await server?.dispose();
    await sink?.stop();
  });
  server = await startServer([...relayArgs, ...args]);
  const p = await freshProject(server);
  return { sink, server, p };
}

const lf = (s) => s?.replace(/\r\n/g, '\n');

function assertSent(r, count, max = 10) {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'success');
  assert.equal(r.body.msg, 'Email sent successfully');
  assert.deepEqual(r.body.rateLimit, { allowed: true, count, max });
  assert.equal(typeof r.body.id, 'string');
  assert.ok(r.body.id.length > 0);
}

function assertLimited(r, max) {
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.equal(r.body.code, 'mail_rate_limited');
  assert.deepEqual(r.body.rateLimit, { allowed: false, count: max, max });
  assert.match(r.retryAfter ?? '', /^\d+$/, 'Retry-After in seconds');
  return Number(r.retryAfter);
}

function assertError(r, status, codes) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.status, 'error');
  if (codes) assert.ok([codes].flat().includes(r.body.code), `code ${r.body.code}, expected ${codes}`);
  assert.ok(r.body.msg.length > 0);
}

// Each encoded word stands alone (never splits a character) and is at most 75 long.
function assertEncodedWords(value) {
  const words = encodedWords(value);
  assert.ok(words.length > 0, `encoded words expected in ${value}`);
  for (const w of words) {
    assert.ok(w.word.length <= 75, `encoded word longer than 75: ${w.word}`);
    new TextDecoder(w.charset, { fatal: true }).decode(w.bytes);
  }
}

// The log's mail events of one project, by kind, and those about one request.
const mailRequests = (events, project) => events.filter((e) => e.type === 'mail.request' && e.project === project);
const about = (events, requestId) => events.filter((e) => e.type !== 'mail.request' && e.data?.request === requestId);

// A mail API in the way MailChannels' send endpoint works: POST JSON, 2xx = sent.
// `answer` says how to reply: {status, body}.
async function startHttpRelay(t, answer) {
  const requests = [];
  const waiters = new Set();
  const http = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let json;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({ method: req.method, url: req.url, headers: req.headers, body, json });
      const { status, body: replyBody = '' } = answer;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(replyBody);
      for (const w of [...waiters]) w();
    });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => http.close(resolve)));
  const { port } = http.address();
  return {
    url: `http://127.0.0.1:${port}/tx/v1/send`,
    requests,
    next: (timeoutMs = 20000) =>
      new Promise((resolve, reject) => {
        let taken = false;
        const check = () => {
          if (!taken && requests.length > 0) {
            taken = true;
            clearTimeout(timer);
            waiters.delete(check);
            resolve(requests[0]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`the HTTP relay got no request within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

// A port nothing listens on: bound, then closed again.
async function closedPort() {
  const s = createTcpServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('a mail with a Chinese subject and sender name, text and html arrives decoded intact, multipart/alternative', async (t) => {
  const { sink, server, p } = await setup(t);
  const mail = {
    to: 'li.lei@example.com',
    subject: '会议通知：明天上午十点在三楼会议室讨论新版本的发布计划 🎉 (release planning, round 2)',
    from: 'team@example.com',
    fromName: '产品团队 · 王小明',
    text: '大家好，\n\n明天上午十点开会。= signs, trailing spaces   \n' + '长句子'.repeat(120) + '\n— 王小明',
    html: '<p>大家好，</p>\n<p>明天上午<b>十点</b>开会。</p><p>' + '长句子'.repeat(120) + '</p>',
  };
  const before = Date.now();
  const r = await postMail(server, p, mail);
  assertSent(r, 1);

  const got = await sink.next();
  assert.equal(got.mailFrom, mail.from);
  assert.deepEqual(got.rcptTos, [mail.to]);
  const m = parseMessage(got.data);
  assert.deepEqual(m.from, { name: mail.fromName, address: mail.from });
  assert.deepEqual(m.to.map((a) => a.address), [mail.to]);
  assert.equal(m.subject, mail.subject);
  assertEncodedWords(m.rawSubject);
  assertEncodedWords(m.header('from'));
  assert.match(got.data, /^[\x00-\x7f]*$/, 'the message is 7-bit: non-ASCII only in encoded words and encoded bodies');
  for (const line of m.headerLines.filter((l) => /^(Subject|From):|^[ \t]/i.test(l))) {
    assert.ok(line.length <= 78, `header line longer than 78: ${line}`);
  }
  for (const line of got.data.split(/\r?\n/)) assert.ok(line.length <= 998, 'no line passes 998 characters');
  const date = Date.parse(m.date);
  assert.ok(date >= Math.floor(before / 1000) * 1000 - 60000 && date <= Date.now() + 60000, `Date: ${m.date}`);
  assert.match(m.messageId, /^<[^<>@\s]+@[^<>@\s]+>$/, `Message-ID: ${m.messageId}`);
  assert.equal(m.messageId.slice(1, m.messageId.indexOf('@')), r.body.id, "the Message-ID's local part is the request id");
  assert.equal(m.header('mime-version')?.trim(), '1.0');
  assert.equal(m.contentType, 'multipart/alternative');
  assert.deepEqual(m.parts.map((part) => part.contentType), ['text/plain', 'text/html'], 'text first, html last');
  for (const part of m.parts) assert.equal(part.params.charset?.toLowerCase(), 'utf-8');
  assert.equal(lf(m.text), mail.text);
  assert.equal(lf(m.html), mail.html);

  if (embedded) {
    // mail.request -> mail.accepted -> mail.sent, the answer's id naming the request.
    const { events, request, accepted, sent } = await waitForEvents(server.dataDir, (events) => {
      const request = events.find((e) => e.type === 'mail.request' && e.id === r.body.id);
      const accepted = request && about(events, request.id).find((e) => e.type === 'mail.accepted');
      const sent = request && about(events, request.id).find((e) => e.type === 'mail.sent');
      return sent && accepted && { events, request, accepted, sent };
    }, 'mail.request, mail.accepted and mail.sent');
    assert.equal(request.project, p.project);
    assert.equal(request.data.token, p.token);
    assert.equal(request.data.max, 10);
    assert.equal(request.data.windowMs, 60000);
    assert.deepEqual(request.data.mail, { ...mail, to: [mail.to] });
    assert.equal(accepted.data.token, p.token);
    assert.equal(accepted.data.count, 1);
    assert.equal(accepted.data.max, 10);
    assert.ok(events.indexOf(request) < events.indexOf(accepted) && events.indexOf(accepted) < events.indexOf(sent));
    assert.equal(typeof sent.data.relay, 'string');
    assert.equal(sent.data.messageId.replace(/^<|>$/g, ''), m.messageId.replace(/^<|>$/g, ''), 'the Message-ID sent');
    assert.equal(about(events, request.id).filter((e) => e.type === 'mail.failed').length, 0);
    for (const e of [request, ...about(events, request.id)]) assertValid(`events/${e.type}`, e);
  }
});

test('without from and fromName a mail comes from the defaults; a text-only or html-only mail is a single part', async (t) => {
  const { sink, server, p } = await setup(t);
  assertSent(await postMail(server, p, { to: 'a@example.com', subject: 'plain', text: 'only text, 只有文本' }), 1);
  const plain = await sink.next();
  assert.equal(plain.mailFrom, 'noreply@localhost.localdomain');
  const m = parseMessage(plain.data);
  assert.deepEqual(m.from, { name: 'WebSocket Server', address: 'noreply@localhost.localdomain' });
  assert.equal(m.subject, 'plain');
  assert.equal(m.contentType, 'text/plain');
  assert.equal(lf(m.text), 'only text, 只有文本');
  assert.equal(m.html, undefined);

  assertSent(await postMail(server, p, { to: 'a@example.com', subject: 'html', html: '<h1>只有 HTML</h1>' }), 2);
  const h = parseMessage((await sink.next()).data);
  assert.equal(h.contentType, 'text/html');
  assert.equal(lf(h.html), '<h1>只有 HTML</h1>');
  assert.equal(h.text, undefined);
  assert.notEqual(h.messageId, m.messageId, 'every mail has a Message-ID of its own');
});

test('--mail-from and --mail-from-name set the default sender; a request may name its own', async (t) => {
  const { sink, server, p } = await setup(t, { args: ['--mail-from', 'alerts@example.com', '--mail-from-name', 'Alerts "Ops" Desk'] });
  assertSent(await postMail(server, p, { to: 'a@example.com', subject: 'defaults', text: 'x' }), 1);
  const first = await sink.next();
  assert.equal(first.mailFrom, 'alerts@example.com');
  assert.deepEqual(parseMessage(first.data).from, { name: 'Alerts "Ops" Desk', address: 'alerts@example.com' });

  assertSent(await postMail(server, p, { to: 'a@example.com', subject: 'own', text: 'x', from: 'me@example.org', fromName: 'Zoë' }), 2);
  const second = await sink.next();
  assert.equal(second.mailFrom, 'me@example.org');
  assert.deepEqual(parseMessage(second.data).from, { name: 'Zoë', address: 'me@example.org' });
});

test('`to` as an array reaches every recipient in one mail', async (t) => {
  const { sink, server, p } = await setup(t);
  const to = ['a@example.com', 'b@example.org', 'c.d+tag@sub.example.net'];
  assertSent(await postMail(server, p, { to, subject: 'to three', text: 'hello all' }), 1);
  const got = await sink.next();
  assert.deepEqual([...got.rcptTos].sort(), [...to].sort());
  const m = parseMessage(got.data);
  assert.deepEqual(m.to.map((a) => a.address).sort(), [...to].sort());
  assert.equal(m.subject, 'to three');
});

test('the 11th mail of a token within a minute is refused with 429 and not sent; another token of the project is not limited', async (t) => {
  const { sink, server, p } = await setup(t);
  for (let i = 1; i <= 10; ++i) {
    assertSent(await postMail(server, p, { to: `r${i}@example.com`, subject: `mail ${i}`, text: `number ${i}` }), i);
  }
  const refused = await postMail(server, p, { to: 'r11@example.com', subject: 'over the limit', text: 'no' });
  const retryAfter = assertLimited(refused, 10);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
  const ten = await sink.waitForCount(10);
  assert.deepEqual(ten.map((m) => parseMessage(m.data).subject).sort(), Array.from({ length: 10 }, (_, i) => `mail ${i + 1}`).sort());

  // The limit is the token's: a second token of the same project starts at 1. Its mail
  // is also a marker: it was requested after the refused one, so once it has arrived a
  // mail for the refused request would have too.
  const other = await issueToken(server, p.project);
  assertSent(await postMail(server, { project: p.project, token: other }, { to: 'r12@example.com', subject: 'other token', text: 'yes' }), 1);
  const all = await sink.waitForCount(11);
  assert.equal(all.at(-1).rcptTos[0], 'r12@example.com');
  assert.equal(sink.count(), 11, 'nothing was sent for the refused request');
  assert.ok(!all.some((m) => m.rcptTos.includes('r11@example.com')));
  assert.equal(new Set(all.map((m) => parseMessage(m.data).messageId)).size, 11, 'distinct Message-IDs');

  if (embedded) {
    const { rejectedRequest, rejected, events } = await waitForEvents(server.dataDir, (events) => {
      const rejectedRequest = mailRequests(events, p.project).find((e) => e.data.mail.subject === 'over the limit');
      const rejected = rejectedRequest && about(events, rejectedRequest.id).find((e) => e.type === 'mail.rejected');
      const sentCount = events.filter((e) => e.type === 'mail.sent').length;
      return rejected && sentCount >= 11 && { rejectedRequest, rejected, events };
    }, 'mail.rejected for the 11th request and 11 mail.sent');
    assert.equal(rejected.data.token, p.token);
    assert.equal(rejected.data.count, 10);
    assert.equal(rejected.data.max, 10);
    assert.deepEqual(about(events, rejectedRequest.id).map((e) => e.type), ['mail.rejected'], 'not accepted, sent or failed');
    assert.equal(mailRequests(events, p.project).length, 12);
    assert.equal(events.filter((e) => e.type === 'mail.accepted').length, 11);
    for (const e of events.filter((x) => x.type.startsWith('mail.'))) assertValid(`events/${e.type}`, e);
  }
});

test('--mail-limit 3 allows three mails per token', async (t) => {
  const { sink, server, p } = await setup(t, { args: ['--mail-limit', '3'] });
  for (let i = 1; i <= 3; ++i) assertSent(await postMail(server, p, { to: 'a@example.com', subject: `n${i}`, text: 'x' }), i, 3);
  assertLimited(await postMail(server, p, { to: 'a@example.com', subject: 'n4', text: 'x' }), 3);
  await sink.waitForCount(3);
  if (embedded) {
    const requests = await waitForEvents(server.dataDir, (events) => mailRequests(events, p.project).length === 4 && mailRequests(events, p.project), '4 mail.request');
    assert.deepEqual(requests.map((e) => e.data.max), [3, 3, 3, 3]);
  }
});

test('--mail-window sets the window: after Retry-After seconds the token may send again', async (t) => {
  // 3 s: long enough that the second request surely falls in the first one's window.
  const { sink, server, p } = await setup(t, { args: ['--mail-limit', '1', '--mail-window', '3'] });
  assertSent(await postMail(server, p, { to: 'a@example.com', subject: 'first', text: 'x' }), 1, 1);
  const retryAfter = assertLimited(await postMail(server, p, { to: 'a@example.com', subject: 'too soon', text: 'x' }), 1);
  assert.ok(retryAfter >= 1 && retryAfter <= 3, `Retry-After ${retryAfter}: what is left of the 3 s window, rounded up`);
  // What the client was told to do: wait Retry-After seconds (the window passing is
  // what is tested, not a synchronization).
  await new Promise((r) => setTimeout(r, retryAfter * 1000));
  assertSent(await postMail(server, p, { to: 'a@example.com', subject: 'again', text: 'x' }), 1, 1);
  const got = await sink.waitForCount(2);
  assert.deepEqual(got.map((m) => parseMessage(m.data).subject), ['first', 'again']);
  if (embedded) {
    const requests = await waitForEvents(server.dataDir, (events) => mailRequests(events, p.project).length === 3 && mailRequests(events, p.project), '3 mail.request');
    assert.ok(requests.every((e) => e.data.windowMs === 3000));
  }
});

test('bad requests are refused (400, 401, 404) and use none of the rate limit', async (t) => {
  const { sink, server, p } = await setup(t);
  const ok = { to: 'ok@example.com', subject: 's', text: 't' };
  assertError(await postMail(server, p, { ...ok, to: 'not-an-address' }), 400, 'invalid_address');
  assertError(await postMail(server, p, { ...ok, to: ['ok@example.com', 'also not one'] }), 400, 'invalid_address');
  assertError(await postMail(server, p, { ...ok, to: 'two@at@example.com' }), 400, 'invalid_address');
  assertError(await postMail(server, p, { ...ok, to: 'Name <x@example.com>' }), 400, 'invalid_address');
  assertError(await postMail(server, p, { ...ok, from: 'nobody' }), 400, 'invalid_address');
  assertError(await postMail(server, p, { to: 'ok@example.com', text: 'no subject' }), 400, 'bad_request');
  assertError(await postMail(server, p, { subject: 'no to', text: 't' }), 400, 'bad_request');
  assertError(await postMail(server, p, { ...ok, to: [] }), 400, ['bad_request', 'invalid_address']);
  assertError(await postMail(server, p, { ...ok, to: 42 }), 400, ['bad_request', 'invalid_address']);
  assertError(await postMail(server, p, { ...ok, subject: 7 }), 400, 'bad_request');
  assertError(await postMail(server, p, 'this is not JSON'), 400, ['bad_request', 'invalid_json']);
  assertError(await postMail(server, p, '["to", "subject"]'), 400, ['bad_request', 'invalid_json']);
  assertError(await postMail(server, { project: p.project, token: 'wrong' }, ok), 401, 'invalid_token');
  const noToken = await postMail(server, { project: p.project, token: undefined }, ok);
  assert.ok([400, 401].includes(noToken.status), `no token: ${noToken.status}`);
  const expired = await issueToken(server, p.project, Date.now() - 1000);
  assertError(await postMail(server, { project: p.project, token: expired }, ok), 401, 'token_expired');
  const elsewhere = await freshProject(server);
  assertError(await postMail(server, { project: p.project, token: elsewhere.token }, ok), 401, 'invalid_token');
  assertError(await postMail(server, { project: 'no-such-project', token: p.token }, ok), 404, 'project_not_found');

  assertSent(await postMail(server, p, { ...ok, subject: 'the good one' }), 1);
  const got = await sink.next();
  assert.equal(parseMessage(got.data).subject, 'the good one');
  assert.equal(sink.count(), 1);
  if (embedded) {
    const requests = await waitForEvents(server.dataDir, (events) => mailRequests(events, p.project).length > 0 && mailRequests(events, p.project), 'the mail.request');
    assert.equal(requests.length, 1, 'refused requests never reach the log');
  }
});

test('a relay that is down: 502 mail_relay_failed, recorded as mail.accepted then mail.failed', async (t) => {
  const port = await closedPort();
  const { server, p } = await setup(t, { relay: false, args: ['--smtp-url', `smtp://127.0.0.1:${port}`] });
  const r = await postMail(server, p, { to: 'a@example.com', subject: 'nobody home', text: 'x' });
  assertError(r, 502, 'mail_relay_failed');
  assert.deepEqual(r.body.rateLimit, { allowed: true, count: 1, max: 10 });
  if (embedded) {
    const { request, outcome } = await waitForEvents(server.dataDir, (events) => {
      const request = mailRequests(events, p.project)[0];
      const outcome = request && about(events, request.id);
      return outcome?.some((e) => e.type === 'mail.failed') && { request, outcome };
    }, 'mail.failed');
    assert.deepEqual(outcome.map((e) => e.type), ['mail.accepted', 'mail.failed']);
    const failed = outcome[1];
    assert.equal(failed.data.request, request.id);
    assert.equal(failed.data.code, 'mail_relay_failed');
    assert.ok(failed.data.error.length > 0);
    for (const e of [request, ...outcome]) assertValid(`events/${e.type}`, e);
  }
});

test('a relay that refuses the mail: 502 with the relay\'s own words', async (t) => {
  const { sink, server, p } = await setup(t, { sink: { fail: true } });
  const r = await postMail(server, p, { to: 'a@example.com', subject: 'refused', text: 'x' });
  assertError(r, 502, 'mail_relay_failed');
  assert.match(r.body.msg, /relay refused/);
  assert.equal(r.body.rateLimit.allowed, true);
  assert.equal((await sink.next()).refused, true);
  if (embedded) {
    const failed = await waitForEvents(server.dataDir, (events) => events.find((e) => e.type === 'mail.failed'), 'mail.failed');
    assert.match(failed.data.error, /relay refused/);
  }
});

test('--smtp-starttls require refuses to send to a relay without STARTTLS: 502', async (t) => {
  const { sink, server, p } = await setup(t, { args: ['--smtp-starttls', 'require'] });
  const r = await postMail(server, p, { to: 'a@example.com', subject: 'in the clear?', text: 'x' });
  assertError(r, 502, 'mail_relay_failed');
  assert.equal(sink.count(), 0, 'the message was not handed over in the clear');
});

// wsd all with no relay flag: its mailer has nowhere to send. (Two gateways with no relay
// run no mailer at all; that case is distributed/mail_two_gateways's 504.)
test('with no relay configured a mail is refused with 503 mail_not_configured', { skip: process.env.WSD_DEPLOYMENT === 'two-gateways' }, async (t) => {
  const { server, p } = await setup(t, { relay: false });
  const r = await postMail(server, p, { to: 'a@example.com', subject: 'nowhere to go', text: 'x' });
  assertError(r, 503, 'mail_not_configured');
  assert.equal(r.body.rateLimit.allowed, true);
});

test('an HTTP mail API gets the MailChannels JSON with the API key; 202 means sent', async (t) => {
  const relay = await startHttpRelay(t, { status: 202 });
  const { server, p } = await setup(t, { relay: false, args: ['--mail-http-url', relay.url, '--mail-http-key', 'key-123'] });
  const mail = {
    to: ['a@example.com', 'b@example.org'],
    subject: '你好，API 🎉',
    from: 'team@example.com',
    fromName: '产品团队',
    text: '纯文本\nline 2',
    html: '<p>超文本</p>',
  };
  assertSent(await postMail(server, p, mail), 1);
  const req = await relay.next();
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/tx/v1/send');
  assert.equal(req.headers['x-api-key'], 'key-123');
  assert.match(req.headers['content-type'] ?? '', /^application\/json/);
  assert.ok(req.json, `a JSON body: ${req.body}`);
  assert.ok(Array.isArray(req.json.personalizations) && req.json.personalizations.length > 0);
  const recipients = req.json.personalizations.flatMap((x) => x.to.map((to) => to.email));
  assert.deepEqual(recipients.sort(), [...mail.to].sort());
  assert.equal(req.json.from.email, mail.from);
  assert.equal(req.json.from.name, mail.fromName);
  assert.equal(req.json.subject, mail.subject);
  assert.deepEqual(req.json.content, [{ type: 'text/plain', value: mail.text }, { type: 'text/html', value: mail.html }]);
  assert.equal(relay.requests.length, 1);
});

test('an HTTP mail API that answers 500: 502 mail_relay_failed with its error', async (t) => {
  const relay = await startHttpRelay(t, { status: 500, body: '{"errors":["quota exceeded for sender"]}' });
  const { server, p } = await setup(t, { relay: false, args: ['--mail-http-url', relay.url, '--mail-http-key', 'k'] });
  const r = await postMail(server, p, { to: 'a@example.com', subject: 'x', text: 'x' });
  assertError(r, 502, 'mail_relay_failed');
  assert.match(r.body.msg, /quota exceeded for sender/, "the API's own error");
  assert.ok(relay.requests.length >= 1);
  if (embedded) {
    const failed = await waitForEvents(server.dataDir, (events) => events.find((e) => e.type === 'mail.failed'), 'mail.failed');
    assert.ok(failed.data.error.length > 0);
  }
});
