// Mail for tests: a real SMTP server (lib/smtp_sink.py, on Debian's python3-aiosmtpd), a
// reader for what it received (RFC 5322 headers unfolded, RFC 2047 encoded words, MIME
// multipart bodies in base64 or quoted-printable; Node built-ins only), and POST /mail as
// an application calls it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { assertValid } from './schemas.mjs';

// POST /mail; `body` is sent as JSON unless it is a string. Resolves with the status, the
// schema-checked JSON answer and the Retry-After header. `token: undefined` leaves the
// parameter out.
export async function postMail(server, { project, token }, body) {
  const query = new URLSearchParams();
  if (project !== undefined) query.set('project', project);
  if (token !== undefined) query.set('token', token);
  const res = await fetch(`${server.url}/mail?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`POST /mail answered ${res.status} with a body that is not JSON: ${text}`);
  }
  assertValid(res.status === 200 ? 'http/mail_response' : 'http/error_response', json);
  return { status: res.status, body: json, retryAfter: res.headers.get('retry-after') };
}

const PYTHON = process.env.WSD_TEST_PYTHON ?? '/usr/bin/python3';  // Debian's, where apt puts aiosmtpd
const SINK = new URL('./smtp_sink.py', import.meta.url).pathname;

// Starts a sink on a free port (or `port`). With `fail`, every message is answered
// `554 5.7.1 relay refused`. `messages` holds every message that reached DATA, in order
// of arrival, as {mailFrom, rcptTos, data, refused}; `next()` awaits them one by one,
// `waitForCount(n)` until n have arrived.
export async function startSmtpSink({ fail = false, port = 0 } = {}) {
  const argv = [SINK, '--port', String(port)];
  if (fail) argv.push('--fail');
  const proc = spawn(PYTHON, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  // A sink a failed test never stopped must not keep the test process alive; when that
  // process ends, the sink's stdin closes and it ends too.
  proc.unref();
  for (const stream of [proc.stdin, proc.stdout, proc.stderr]) stream.unref?.();
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  proc.stderr.on('data', (chunk) => (stderr += chunk));

  const messages = [];
  const waiters = new Set();
  let consumed = 0;
  let lineError = null;
  const notify = () => {
    for (const w of [...waiters]) w();
  };

  const lines = createInterface({ input: proc.stdout });
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smtp sink did not start within 10 s:\n${stderr}`)), 10000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`smtp sink exited with ${code}:\n${stderr}`));
    });
    lines.on('line', (line) => {
      const m = /^listening (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
        return;
      }
      try {
        messages.push(JSON.parse(line));
      } catch (e) {
        lineError = new Error(`smtp sink printed something that is not JSON: ${line}`);
      }
      notify();
    });
  });
  proc.on('exit', notify);  // waiters fail at once instead of at their timeout

  // Resolves when `ready()` returns a value other than undefined; rejects after timeoutMs.
  const waitUntil = (ready, what, timeoutMs) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (lineError) return finish(reject, lineError);
        const value = ready();
        if (value !== undefined) return finish(resolve, value);
        if (proc.exitCode !== null || proc.signalCode !== null) {
          finish(reject, new Error(`smtp sink is gone while waiting for ${what}:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish(reject, new Error(`smtp sink: no ${what} within ${timeoutMs} ms; got ${messages.length} message(s): ` +
          JSON.stringify(messages.map((m) => ({ rcptTos: m.rcptTos, subject: safeSubject(m.data) })))));
      }, timeoutMs);
      const finish = (fn, value) => {
        clearTimeout(timer);
        waiters.delete(check);
        fn(value);
      };
      waiters.add(check);
      check();
    });

  const sink = {
    port: await listening.catch(async (e) => {
      proc.kill('SIGKILL');
      throw e;
    }),
    messages,
    stderr: () => stderr,
    count: () => messages.length,
    // The next message not yet returned by next(), in order of arrival.
    next: (timeoutMs = 20000) =>
      waitUntil(() => (consumed < messages.length ? messages[consumed++] : undefined), 'next message', timeoutMs),
    // Resolves with the messages once at least `n` have arrived.
    waitForCount: (n, timeoutMs = 20000) =>
      waitUntil(() => (messages.length >= n ? messages.slice() : undefined), `${n} message(s)`, timeoutMs),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.ref();  // keeps this process alive until the sink's exit is seen
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
  sink.url = `smtp://127.0.0.1:${sink.port}`;
  return sink;
}

function safeSubject(raw) {
  try {
    return parseMessage(raw).subject;
  } catch {
    return undefined;
  }
}

// ---- RFC 5322 / MIME reading ---------------------------------------------------------

// Header block and body of an entity (a message or a MIME part). Lines may end in CRLF or
// LF. Headers are unfolded: a line break followed by white space is removed, the white
// space kept (RFC 5322 2.2.3).
export function splitEntity(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const head = m ? raw.slice(0, m.index) : raw;
  const body = m ? raw.slice(m.index + m[0].length) : '';
  const rawLines = head.split(/\r?\n/);
  const headers = [];
  for (const line of rawLines) {
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1].value += line;
    else if (line.length) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`not a header line: ${JSON.stringify(line)}`);
      headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).replace(/^[ \t]+/, '') });
    }
  }
  return { headers, headerLines: rawLines, body };
}

// The encoded words of a header value (RFC 2047), each on its own: charset, encoding,
// the word as written and its bytes. A word must stand alone (one never splits a
// character), so a test can decode each with { fatal: true }.
const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

export function encodedWords(value) {
  return [...value.matchAll(ENCODED_WORD)].map((m) => ({
    word: m[0],
    charset: m[1].replace(/\*.*$/, ''),  // RFC 2231 language suffix
    encoding: m[2].toUpperCase(),
    bytes: wordBytes(m[2], m[3]),
  }));
}

function wordBytes(encoding, text) {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  const bytes = [];
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (c === '_') bytes.push(0x20);
    else if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'latin1'));
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes, charset = 'utf-8') {
  let label = charset.toLowerCase();
  if (label === 'us-ascii' || label === 'ascii') label = 'utf-8';
  return new TextDecoder(label).decode(bytes);
}

// A header value with its encoded words decoded. White space between two adjacent
// encoded words is not displayed (RFC 2047 6.2); adjacent words in one charset are
// joined as bytes before decoding, so a lenient sender that split a character between
// words still reads right.
export function decodeHeader(value) {
  let out = '';
  let pending = null;  // {charset, bytes[]}: encoded words waiting to be decoded together
  const flush = () => {
    if (pending) out += decodeCharset(Buffer.concat(pending.bytes), pending.charset);
    pending = null;
  };
  let last = 0;
  for (const m of value.matchAll(ENCODED_WORD)) {
    const between = value.slice(last, m.index);
    const charset = m[1].replace(/\*.*$/, '');
    const bytes = wordBytes(m[2], m[3]);
    const adjacent = pending && /^[ \t\r\n]*$/.test(between);
    if (adjacent && pending.charset.toLowerCase() === charset.toLowerCase()) {
      pending.bytes.push(bytes);
    } else {
      flush();
      if (!adjacent) out += between;  // white space between two encoded words is dropped
      pending = { charset, bytes: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

// 'multipart/alternative; boundary="b1"' -> {value: 'multipart/alternative', params:
// {boundary: 'b1'}}: a Content-Type (or similar) value, lowercased, and its parameters.
export function parseParams(value) {
  const semi = value.indexOf(';');
  const main = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = {};
  const rest = semi < 0 ? '' : value.slice(semi + 1);
  const re = /\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))\s*;?/g;
  for (const m of rest.matchAll(re)) {
    params[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  }
  return { value: main, params };
}

// Splits "Name <a@b>, c@d, \"x, y\" <e@f>" at the commas between addresses and reads
// each as {name, address} (name decoded and unquoted; '' when there is none).
export function parseAddressList(value) {
  const parts = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (let i = 0; i < value.length; ++i) {
    const c = value[i];
    if (quoted && c === '\\') {
      current += c + (value[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') ++angle;
    else if (!quoted && c === '>') --angle;
    if (c === ',' && !quoted && angle === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean).map(parseAddress);
}

function parseAddress(text) {
  const m = /^(.*?)\s*<([^<>]*)>\s*$/s.exec(text);
  if (!m) return { name: '', address: text.trim() };
  let name = m[1].trim();
  const q = /^"((?:[^"\\]|\\.)*)"$/s.exec(name);
  name = q ? q[1].replace(/\\(.)/g, '$1') : decodeHeader(name);
  return { name, address: m[2].trim() };
}

// The bytes of a body after its Content-Transfer-Encoding.
export function decodeTransfer(body, encoding = '7bit') {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      if (/[^A-Za-z0-9+/=\s]/.test(body)) throw new Error('a base64 body with characters base64 does not have');
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable': {
      const unwrapped = body.replace(/[ \t]+(?=\r?\n)/g, '').replace(/=\r?\n/g, '');  // trailing space, soft breaks
      const bytes = [];
      for (let i = 0; i < unwrapped.length; ++i) {
        if (unwrapped[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(unwrapped.slice(i + 1, i + 3))) {
          bytes.push(parseInt(unwrapped.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(...Buffer.from(unwrapped[i], 'utf8'));
      }
      return Buffer.from(bytes);
    }
    default:  // 7bit, 8bit, binary: the text itself (the sink handed it over as UTF-8)
      return Buffer.from(body, 'utf8');
  }
}

// One entity as a tree: {headers, header(name), contentType, params, transferEncoding,
// body (decoded text, for leaf parts), parts (for multipart)}.
function parseEntity(raw) {
  const { headers, headerLines, body: rawBody } = splitEntity(raw);
  const header = (name) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const type = parseParams(header('content-type') ?? 'text/plain; charset=us-ascii');
  const entity = {
    headers,
    headerLines,
    header,
    headerAll: (name) => headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value),
    contentType: type.value,
    params: type.params,
    transferEncoding: (header('content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    rawBody,
  };
  if (type.value.startsWith('multipart/')) {
    const boundary = type.params.boundary;
    if (!boundary) throw new Error(`${type.value} without a boundary`);
    entity.parts = splitMultipart(rawBody, boundary).map(parseEntity);
  } else {
    const bytes = decodeTransfer(rawBody, entity.transferEncoding);
    entity.bytes = bytes;
    entity.body = decodeCharset(bytes, type.params.charset ?? 'us-ascii');
  }
  return entity;
}

// The parts between `--boundary` delimiter lines; the line break before a delimiter
// belongs to it (RFC 2046 5.1.1), so a part's body ends where its content ends.
export function splitMultipart(body, boundary) {
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
  const parts = [];
  let start = null;
  let closed = false;
  for (const m of body.matchAll(delimiter)) {
    if (start !== null) parts.push(body.slice(start, m.index));
    if (m[1]) {
      closed = true;
      break;
    }
    start = m.index + m[0].length;
  }
  if (!closed) throw new Error(`multipart body without its closing --${boundary}--`);
  return parts;
}

// Leaf parts of a tree, depth first.
function leaves(entity) {
  return entity.parts ? entity.parts.flatMap(leaves) : [entity];
}

// A whole message as a test wants to read it. `from` and `to` are {name, address};
// `subject` is decoded; `text`/`html` are the first text/plain and text/html leaves'
// decoded bodies (undefined when there is none).
export function parseMessage(raw) {
  const root = parseEntity(raw);
  const h = (name) => root.header(name);
  const parts = leaves(root);
  const textPart = parts.find((p) => p.contentType === 'text/plain');
  const htmlPart = parts.find((p) => p.contentType === 'text/html');
  return {
    raw,
    root,
    header: h,
    headerAll: root.headerAll,
    headerLines: root.headerLines,
    from: h('from') === undefined ? undefined : parseAddressList(h('from'))[0],
    to: h('to') === undefined ? [] : parseAddressList(h('to')),
    subject: h('subject') === undefined ? undefined : decodeHeader(h('subject')),
    rawSubject: h('subject'),
    date: h('date'),
    messageId: h('message-id')?.trim(),
    contentType: root.contentType,
    parts,
    text: textPart?.body,
    html: htmlPart?.body,
  };
}
