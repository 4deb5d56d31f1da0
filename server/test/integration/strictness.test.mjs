// Protocol strictness, byte by byte over raw sockets: RFC 6455 handshakes, close codes and
// frame lengths; HTTP/1.1 framing (Content-Length, chunked bodies), oversized heads, the
// Bearer scheme in any case; numeric inputs out of range. Each bad input gets its
// documented answer and changes nothing else.
import { test as nodeTest, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { startServer } from './lib/server.mjs';
import { call, freshProject, listProjects } from './lib/admin.mjs';
import { assertValid } from './lib/schemas.mjs';

// A server that waits for bytes that never come (the old answer to an oversized frame)
// fails its test instead of holding the whole file.
const test = (name, fn) => nodeTest(name, { timeout: 15000 }, fn);

const MAX_MESSAGE_BYTES = 1024;
let server, p;
before(async () => {
  server = await startServer(['--max-message-bytes', String(MAX_MESSAGE_BYTES)]);
  p = await freshProject(server);
});
after(async () => server?.dispose());

// ---- raw sockets ------------------------------------------------------------------------

// Opens a TCP connection and collects what the server sends; `received(check)` resolves
// once the bytes so far satisfy `check`, `closed` once the server ends the connection.
function rawConnection() {
  // With several gateways behind the test's balancer, raw bytes go to one of them: each
  // gateway parses its own connections.
  const port = server.port ?? Number(new URL(server.url).port);
  const socket = net.connect(port, '127.0.0.1');
  let data = Buffer.alloc(0);
  const waiters = [];
  const settle = () => {
    for (const w of [...waiters]) {
      const result = w.check(data);
      if (result) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(result);
      }
    }
  };
  socket.on('data', (chunk) => {
    data = Buffer.concat([data, chunk]);
    settle();
  });
  socket.on('error', () => {});
  const closed = new Promise((resolve) => socket.on('close', () => resolve(data)));
  const connected = new Promise((resolve) => socket.on('connect', resolve));
  return {
    socket,
    closed,
    connected,
    write: (bytes) => socket.write(bytes),
    received: (check) =>
      new Promise((resolve, reject) => {
        waiters.push({ check, resolve });
        closed.then(() => reject(new Error(`closed before the expected bytes; got ${JSON.stringify(data.toString('latin1').slice(0, 300))}`)));
        settle();
      }),
  };
}

// The first HTTP response in `data`, once whole: status, headers (lower-case names), body.
function parseResponse(data) {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (data.length < end + 4 + length) return null;
  const body = data.subarray(end + 4, end + 4 + length).toString('utf8');
  return { status: Number(lines[0].split(' ')[1]), headers, body: body ? JSON.parse(body) : null, rest: data.subarray(end + 4 + length) };
}

async function rawRequest(bytes) {
  const c = rawConnection();
  c.write(bytes);
  const response = await c.received(parseResponse);
  c.socket.destroy();
  return response;
}

const wsKey = () => randomBytes(16).toString('base64');

function upgradeRequest({ version = '13', key = wsKey(), protocol, query = `project=${p.project}&token=${p.token}` } = {}) {
  const lines = [
    `GET /ws?${query} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`,
    `Sec-WebSocket-Version: ${version}`,
  ];
  if (protocol !== undefined) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

// A client frame: masked unless told otherwise; `announced` overrides the length field.
function frame({ opcode = 0x1, payload = Buffer.alloc(0), announced = BigInt(payload.length), masked = true }) {
  const head = [0x80 | opcode];
  const maskBit = masked ? 0x80 : 0;
  let length;
  if (announced < 126n) {
    head.push(maskBit | Number(announced));
  } else if (announced <= 0xffffn) {
    head.push(maskBit | 126);
    length = Buffer.alloc(2);
    length.writeUInt16BE(Number(announced));
  } else {
    head.push(maskBit | 127);
    length = Buffer.alloc(8);
    length.writeBigUInt64BE(announced);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), length ?? Buffer.alloc(0), payload]);
  const mask = randomBytes(4);
  const maskedPayload = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  return Buffer.concat([Buffer.from(head), length ?? Buffer.alloc(0), mask, maskedPayload]);
}

const closeFrame = (code) => {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return frame({ opcode: 0x8, payload });
};

// The code of the first Close frame the server sent after the 101 head.
function serverCloseCode(data) {
  let at = data.indexOf('\r\n\r\n') + 4;
  while (at + 2 <= data.length) {
    const opcode = data[at] & 0x0f;
    let length = data[at + 1] & 0x7f;
    let start = at + 2;
    if (length === 126) {
      length = data.readUInt16BE(at + 2);
      start = at + 4;
    } else if (length === 127) {
      length = Number(data.readBigUInt64BE(at + 2));
      start = at + 10;
    }
    if (start + length > data.length) return null;
    if (opcode === 0x8) return length >= 2 ? data.readUInt16BE(start) : 1005;
    at = start + length;
  }
  return null;
}

// An established WebSocket over a raw socket, past its `connected` message.
async function openRawWebSocket() {
  const c = rawConnection();
  c.write(upgradeRequest());
  await c.received((d) => d.includes('"connected"'));
  return c;
}

// ---- RFC 6455 handshake -------------------------------------------------------------

test('ws: Sec-WebSocket-Version 8 is 426 naming version 13, not 101', async () => {
  const r = await rawRequest(upgradeRequest({ version: '8' }));
  assert.equal(r.status, 426);
  assert.equal(r.headers['sec-websocket-version'], '13');
  assert.equal(assertValid('http/error_response', r.body).code, 'upgrade_required');
});

for (const [what, key] of [
  ['a key of 15 bytes', randomBytes(15).toString('base64')],
  ['a key that is not base64', 'this is not base64 at all'],
  ['no key', ''],
]) {
  test(`ws: ${what} is 400 bad_request`, async () => {
    const r = await rawRequest(upgradeRequest({ key }));
    assert.equal(r.status, 400);
    assert.equal(assertValid('http/error_response', r.body).code, 'bad_request');
    assert.match(r.body.msg, /Sec-WebSocket-Key/);
  });
}

test('ws: subprotocols without wsd are answered 400, not dropped', async () => {
  const r = await rawRequest(upgradeRequest({ protocol: 'chat, mqtt' }));
  assert.equal(r.status, 400);
  assert.equal(assertValid('http/error_response', r.body).code, 'bad_request');
  assert.match(r.body.msg, /Sec-WebSocket-Protocol/);
});

test('ws: offering wsd among subprotocols upgrades and selects it', async () => {
  const c = rawConnection();
  c.write(upgradeRequest({ protocol: 'chat, wsd' }));
  const head = await c.received(parseResponse);
  assert.equal(head.status, 101);
  assert.equal(head.headers['sec-websocket-protocol'], 'wsd');
  c.socket.destroy();
});

// An Upgrade other than websocket on a kept-alive connection: libwebsockets answers 403
// and ends that request there (CVE-2025-11677: it went on to hand the request, its
// headers already released, to wsd, which answered it a second time).
test('ws: an Upgrade other than websocket is answered 403 once, and the connection serves on', async () => {
  const c = rawConnection();
  const statuses = (data) => [...data.toString('latin1').matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1]));
  c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await c.received((d) => statuses(d).length === 1);
  c.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: foo\r\n\r\n');
  await c.received((d) => statuses(d).length === 2);
  c.write('GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const data = await c.closed;
  assert.deepEqual(statuses(data), [200, 403, 200]);
  assert.match(data.toString('latin1'), /"checks"/);  // the last answer is /readyz's
});

// ---- RFC 6455 close codes and frame lengths --------------------------------------------

for (const [code, answer] of [
  [1000, 1000],
  [4000, 4000],
  [5000, 1002],
  [999, 1002],
  [1004, 1002],
  [1005, 1002],
  [1006, 1002],
  [1015, 1002],
  [2999, 1002],
]) {
  test(`ws: a client's close code ${code} is answered with close ${answer}`, async () => {
    const c = await openRawWebSocket();
    c.write(closeFrame(code));
    assert.equal(serverCloseCode(await c.closed), answer);
  });
}

for (const [what, announced] of [
  ['a 16-bit length just over the limit', BigInt(MAX_MESSAGE_BYTES + 1)],
  ['a 64-bit length of 2^40', 2n ** 40n],
  ['a 64-bit length of 2^62', 2n ** 62n],
]) {
  test(`ws: ${what} is closed with 1009 before its payload is read`, async () => {
    const c = await openRawWebSocket();
    // Half the limit: a server that waited for the announced payload would never close.
    const sent = MAX_MESSAGE_BYTES / 2;
    c.write(frame({ payload: Buffer.alloc(sent, 0x61), announced }));
    assert.equal(serverCloseCode(await c.closed), 1009);
    assert.ok(server.alive());
  });
}

// RFC 6455 §5.5.1 / §7.4.1: a frame length with its most significant bit set is not a
// length; the server fails the connection with a Close frame, not a silent drop.
test('ws: a 64-bit length with bit 63 set is closed with a Close frame', async () => {
  const c = await openRawWebSocket();
  c.write(frame({ payload: Buffer.from('{"type":"pong"}'), announced: 2n ** 63n + 15n }));
  assert.ok([1002, 1009].includes(serverCloseCode(await c.closed)));
  assert.ok(server.alive());
});

// RFC 6455 §5.1: a server closes the connection on an unmasked client frame, with 1002.
test('ws: an unmasked client frame is closed with 1002 and never acted on', async () => {
  const c = await openRawWebSocket();
  const uid = `unmasked_${randomBytes(4).toString('hex')}`;
  c.write(frame({ payload: Buffer.from(JSON.stringify({ type: 'bind', uid })), masked: false }));
  const data = await c.closed;
  assert.equal(serverCloseCode(data), 1002);
  assert.ok(!data.includes('bind_success'));
  assert.ok(server.alive());
});

// ---- HTTP framing -------------------------------------------------------------------

const auth = () => `Authorization: Bearer ${server.adminToken}\r\n`;

test('http: conflicting Content-Length headers are 400 and the rest is not read as a request', async () => {
  const smuggled = `smuggled${randomBytes(3).toString('hex')}`;
  const inner = JSON.stringify({ key: smuggled });
  const second = `POST /project HTTP/1.1\r\nHost: x\r\n${auth()}Content-Length: ${inner.length}\r\n\r\n${inner}`;
  const first = JSON.stringify({ projectKey: p.project });
  const c = rawConnection();
  c.write(
    `POST /token HTTP/1.1\r\nHost: x\r\n${auth()}Content-Length: ${first.length}\r\n` +
      `Content-Length: ${first.length + second.length}\r\n\r\n${first}${second}`,
  );
  const data = await c.closed;  // the server answers, then closes: the rest cannot be framed
  const r = parseResponse(data);
  assert.equal(r.status, 400);
  assert.equal(assertValid('http/error_response', r.body).code, 'bad_request');
  assert.match(r.body.msg, /conflicting Content-Length/);
  assert.equal(r.rest.length, 0, 'one answer only');
  assert.ok(!(await listProjects(server)).some((project) => project.key === smuggled));
});

test('http: a repeated identical Content-Length is accepted', async () => {
  const body = JSON.stringify({ projectKey: p.project });
  const r = await rawRequest(
    `POST /token HTTP/1.1\r\nHost: x\r\n${auth()}Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  assert.equal(r.status, 200);
  assertValid('http/token_response', r.body);
});

test('http: Transfer-Encoding with Content-Length is 400', async () => {
  const body = JSON.stringify({ projectKey: p.project });
  const c = rawConnection();
  c.write(
    `POST /token HTTP/1.1\r\nHost: x\r\n${auth()}Transfer-Encoding: chunked\r\nContent-Length: ${body.length}\r\n\r\n` +
      `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
  );
  const r = parseResponse(await c.closed);
  assert.equal(r.status, 400);
  assert.match(assertValid('http/error_response', r.body).msg, /Transfer-Encoding and Content-Length/);
});

function chunkedPost(path, pieces, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);  // no Content-Length: Node sends it chunked
    req.end();
  });
}

test('http: a chunked request body is decoded (Node http without Content-Length)', async () => {
  const body = JSON.stringify({ projectKey: p.project, expiresAt: null });
  const r = await chunkedPost('/token', [body.slice(0, 7), body.slice(7, 20), body.slice(20)], {
    authorization: `Bearer ${server.adminToken}`,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(assertValid('http/token_response', r.body).expiresAt, null);
  const tokens = (await listProjects(server)).find((project) => project.key === p.project).tokens;
  assert.ok(tokens.some((t) => t.token === r.body.token));
});

test('http: the answer to a chunked request closes its connection, saying so', async () => {
  const body = JSON.stringify({ projectKey: p.project });
  const c = rawConnection();
  c.write(`POST /token HTTP/1.1\r\nHost: x\r\n${auth()}Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
  const r = parseResponse(await c.closed);
  assert.equal(r.status, 200);
  assert.equal(r.headers.connection, 'close');
  assertValid('http/token_response', r.body);
});

test('http: a malformed chunked body is 400', async () => {
  const c = rawConnection();
  c.write(`POST /token HTTP/1.1\r\nHost: x\r\n${auth()}Transfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n`);
  const r = parseResponse(await c.closed);
  assert.equal(r.status, 400);
  assert.match(assertValid('http/error_response', r.body).msg, /chunked/);
});

test('http: a 100 KB header is answered 431', async () => {
  const r = await rawRequest(`GET /healthz HTTP/1.1\r\nHost: x\r\nCookie: a=${'b'.repeat(100 * 1024)}\r\n\r\n`);
  assert.equal(r.status, 431);
  assert.equal(assertValid('http/error_response', r.body).code, 'headers_too_large');
});

test('http: a 20 KB URI is answered 414', async () => {
  const r = await rawRequest(`GET /poll?project=${p.project}&token=${'t'.repeat(20 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.equal(r.status, 414);
  assert.equal(assertValid('http/error_response', r.body).code, 'uri_too_long');
});

test('ws: a 20 KB upgrade URI is answered 414', async () => {
  const r = await rawRequest(upgradeRequest({ query: `project=${p.project}&token=${'t'.repeat(20 * 1024)}` }));
  assert.equal(r.status, 414);
  assert.equal(r.body.code, 'uri_too_long');
});

test('http: the Bearer scheme is case-insensitive', async () => {
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const res = await fetch(`${server.url}/project`, { headers: { authorization: `${scheme} ${server.adminToken}` } });
    assert.equal(res.status, 200, scheme);
  }
  const wrong = await fetch(`${server.url}/project`, { headers: { authorization: `Basic ${server.adminToken}` } });
  assert.equal(wrong.status, 401);
});

// ---- numeric ranges -----------------------------------------------------------------

for (const [what, method, path, body, field] of [
  ['expiresAt 9.3e18 on POST /token', 'POST', '/token', () => ({ projectKey: p.project, expiresAt: 9.3e18 }), 'expiresAt'],
  ['a negative expiresAt on POST /token', 'POST', '/token', () => ({ projectKey: p.project, expiresAt: -5 }), 'expiresAt'],
  ['expiresAt 1e300 on PATCH /token', 'PATCH', '/token', () => ({ projectKey: p.project, token: p.token, expiresAt: 1e300 }), 'expiresAt'],
  ['maxConnections 5e9 on PATCH /project', 'PATCH', '/project', () => ({ key: p.project, settings: { maxConnections: 5e9 } }), 'maxConnections'],
  ['graceSeconds 1e12 on POST /project/secret', 'POST', '/project/secret', () => ({ key: p.project, graceSeconds: 1e12 }), 'graceSeconds'],
]) {
  test(`admin: ${what} is 400 naming the field and changes nothing`, async () => {
    const rules = async () => {
      const { tokens, settings } = (await listProjects(server)).find((project) => project.key === p.project);
      return { tokens, settings };
    };
    const before = await rules();
    const r = await call(server, method, path, body());
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'bad_request');
    assert.match(r.body.msg, new RegExp(field));
    assert.deepEqual(await rules(), before);
  });
}
