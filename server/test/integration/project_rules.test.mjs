// A project's rules for who may connect and as whom: signed bind, the Origin allowlist and
// the connection cap, on every transport, with real clients; and WebSocket compression
// (permessage-deflate) negotiated with Node's `ws`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { startServer } from './lib/server.mjs';
import { call, freshProject } from './lib/admin.mjs';
import { connect, TRANSPORTS } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';
import { waitForEvents } from './lib/eventlog.mjs';

const distributed = process.env.WSD_DEPLOYMENT === 'two-gateways';

async function settings(server, key, patch) {
  const r = await call(server, 'PATCH', '/project', { key, settings: patch });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.settings;
}

async function rotateSecret(server, key, graceSeconds) {
  const r = await call(server, 'POST', '/project/secret', graceSeconds === undefined ? { key } : { key, graceSeconds });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.secret;
}

// What an app backend computes: hex HMAC-SHA256(secret, uid + ":" + exp).
const sign = (secret, uid, exp) => createHmac('sha256', secret).update(`${uid}:${exp}`).digest('hex');
const inSeconds = (s) => Math.floor(Date.now() / 1000) + s;

// Opens a handshake expected to be refused; resolves with {status, body}.
function refusal(server, transport, { project, token }, headers = {}) {
  const query = new URLSearchParams({ project, token });
  if (transport !== 'ws') {
    return fetch(`${server.url}/${transport}?${query}`, { headers }).then(async (res) => {
      // Admitted after all (an SSE stream that would never end, or a poll session): its
      // body is not a refusal, so it is dropped unread.
      if (res.status === 200) {
        await res.body?.cancel();
        return { status: res.status, body: null };
      }
      return { status: res.status, body: await res.json() };
    });
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.wsUrl}/ws?${query}`, { headers });
    ws.on('open', () => {
      ws.close();
      reject(new Error('the handshake was accepted'));
    });
    ws.on('error', () => {});
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(body) }));
    });
  });
}

// ---- signed bind -------------------------------------------------------------------

describe('signed bind', () => {
  let server, p, secret;
  before(async () => {
    server = await startServer();
    p = await freshProject(server);
    secret = await rotateSecret(server, p.project);
    await settings(server, p.project, { signedBind: true });
  });
  after(async () => server?.dispose());

  for (const transport of TRANSPORTS) {
    test(`${transport}: a bind without a signature is refused with bind_signature_required`, async () => {
      const c = await connect(server, { ...p, transport });
      await c.send({ type: 'bind', uid: 'alice' });
      const e = await c.next('error');
      assert.equal(e.code, 'bind_signature_required');
      await c.send({ type: 'list' });
      await c.next('list');  // still unbound, still served
      await c.send({ type: 'send', to: 'bob', msg: 'x' });
      assert.equal((await c.next('error')).code, 'not_bound');
      c.close();
    });

    test(`${transport}: a signature for another uid, or with a wrong secret, is bind_signature_invalid`, async () => {
      const c = await connect(server, { ...p, transport });
      const exp = inSeconds(300);
      await c.send({ type: 'bind', uid: 'mallory', exp, sig: sign(secret, 'alice', exp) });
      assert.equal((await c.next('error')).code, 'bind_signature_invalid');
      await c.send({ type: 'bind', uid: 'alice', exp, sig: sign('not-the-secret', 'alice', exp) });
      assert.equal((await c.next('error')).code, 'bind_signature_invalid');
      c.close();
    });

    test(`${transport}: an expired signature is bind_signature_expired`, async () => {
      const c = await connect(server, { ...p, transport });
      const exp = inSeconds(-5);
      await c.send({ type: 'bind', uid: 'alice', exp, sig: sign(secret, 'alice', exp) });
      assert.equal((await c.next('error')).code, 'bind_signature_expired');
      c.close();
    });

    test(`${transport}: a valid signature binds`, async () => {
      const c = await connect(server, { ...p, transport });
      const exp = inSeconds(300);
      await c.send({ type: 'bind', uid: `signed_${transport}`, exp, sig: sign(secret, `signed_${transport}`, exp) });
      assert.equal((await c.next('bind_success')).uid, `signed_${transport}`);
      c.close();
    });
  }

  test('a malformed sig is refused by the schema before anything is checked', async () => {
    const c = await connect(server, { ...p, transport: 'ws' });
    await c.send({ type: 'bind', uid: 'alice', exp: inSeconds(60), sig: 'zz' });
    assert.equal((await c.next('error')).code, 'invalid_message');
    await c.send({ type: 'bind', uid: 'alice', sig: sign(secret, 'alice', 1) });
    assert.equal((await c.next('error')).code, 'invalid_message');
    c.close();
  });

  test('the uid.bind event records that the bind was signed, and until when', { skip: !!process.env.WSD_KAFKA_BROKERS }, async () => {
    const c = await connect(server, { ...p, transport: 'ws' });
    const exp = inSeconds(300);
    await c.send({ type: 'bind', uid: 'logged', exp, sig: sign(secret, 'logged', exp) });
    await c.next('bind_success');
    const [event] = await waitForEvents(
      server.dataDir,
      (events) => events.filter((e) => e.type === 'uid.bind' && e.data.uid === 'logged'),
      'the signed uid.bind',
    );
    assertValid('events/uid.bind', event);
    assert.deepEqual(event.data, { uid: 'logged', signed: true, exp });
    c.close();
  });

  test('a rotated-out secret signs binds only during its grace period', async () => {
    const q = await freshProject(server);
    const first = await rotateSecret(server, q.project);
    await settings(server, q.project, { signedBind: true });
    const second = await rotateSecret(server, q.project, 3600);
    const exp = inSeconds(300);
    const c = await connect(server, { ...q, transport: 'ws' });
    await c.send({ type: 'bind', uid: 'u1', exp, sig: sign(first, 'u1', exp) });
    await c.next('bind_success');
    const third = await rotateSecret(server, q.project);  // no grace: the others end now
    const d = await connect(server, { ...q, transport: 'ws' });
    await d.send({ type: 'bind', uid: 'u2', exp, sig: sign(second, 'u2', exp) });
    assert.equal((await d.next('error')).code, 'bind_signature_invalid');
    await d.send({ type: 'bind', uid: 'u2', exp, sig: sign(third, 'u2', exp) });
    await d.next('bind_success');
    c.close();
    d.close();
  });

  test('where no signature is required, one that is present is still verified', async () => {
    const q = await freshProject(server);
    const s = await rotateSecret(server, q.project);
    const c = await connect(server, { ...q, transport: 'ws' });
    const exp = inSeconds(60);
    await c.send({ type: 'bind', uid: 'x', exp, sig: sign('wrong', 'x', exp) });
    assert.equal((await c.next('error')).code, 'bind_signature_invalid');
    await c.send({ type: 'bind', uid: 'x', exp, sig: sign(s, 'x', exp) });
    await c.next('bind_success');
    await c.send({ type: 'bind', uid: 'x' });  // unsigned binds stay allowed here
    await c.next('bind_success');
    c.close();
  });
});

// ---- Origin allowlist ----------------------------------------------------------------

describe('origin allowlist', () => {
  let server, p;
  before(async () => {
    server = await startServer();
    p = await freshProject(server);
    await settings(server, p.project, { allowedOrigins: ['https://app.example.com', 'http://localhost:3000'] });
  });
  after(async () => server?.dispose());

  for (const transport of TRANSPORTS) {
    test(`${transport}: a page from another origin is refused with 403 origin_not_allowed`, async () => {
      const r = await refusal(server, transport, p, { Origin: 'https://evil.example' });
      assert.equal(r.status, 403);
      assert.equal(assertValid('http/error_response', r.body).code, 'origin_not_allowed');
      const port = await refusal(server, transport, p, { Origin: 'http://localhost:3001' });
      assert.equal(port.status, 403);
    });
  }

  test('ws: a listed origin connects, whatever the case of its scheme and host', async () => {
    const ws = new WebSocket(`${server.wsUrl}/ws?project=${p.project}&token=${p.token}`, {
      headers: { Origin: 'HTTPS://App.Example.com' },
    });
    const first = await new Promise((resolve, reject) => {
      ws.once('message', (d) => resolve(JSON.parse(d.toString())));
      ws.once('unexpected-response', (req, res) => reject(new Error(`refused ${res.statusCode}`)));
    });
    assert.equal(first.type, 'connected');
    ws.close();
  });

  test('poll: a listed origin connects', async () => {
    const res = await fetch(`${server.url}/poll?project=${p.project}&token=${p.token}`, {
      headers: { Origin: 'http://localhost:3000' },
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json())[0].type, 'connected');
  });

  for (const transport of TRANSPORTS) {
    test(`${transport}: a client that sends no Origin (not a browser) is not affected`, async () => {
      const c = await connect(server, { ...p, transport });
      assert.ok(c.connId);
      c.close();
    });
  }

  for (const transport of ['sse', 'poll']) {
    test(`${transport}: a session's POSTs and GETs from another origin are refused too`, async () => {
      const c = await connect(server, { ...p, transport });  // opened by a client with no Origin
      const url = `${server.url}/${transport}?project=${p.project}&token=${p.token}&connId=${c.connId}`;
      const headers = { 'wsd-session-secret': c.secret, Origin: 'https://evil.example' };
      const post = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'list' }) });
      assert.equal(post.status, 403);
      assert.equal(assertValid('http/error_response', await post.json()).code, 'origin_not_allowed');
      if (transport === 'poll') {
        const get = await fetch(url, { headers });
        assert.equal(get.status, 403);
        assert.equal((await get.json()).code, 'origin_not_allowed');
      }
      const listed = await fetch(url, {
        method: 'POST', headers: { ...headers, Origin: 'https://app.example.com' }, body: JSON.stringify({ type: 'list' }),
      });
      assert.equal(listed.status, 200);
      assert.equal(listed.headers.get('access-control-allow-origin'), 'https://app.example.com');
      assert.equal(listed.headers.get('access-control-allow-credentials'), 'true');
      c.close();
    });
  }

  test('POST /mail from another origin is refused', async () => {
    const res = await fetch(`${server.url}/mail?project=${p.project}&token=${p.token}`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ to: 'a@example.com', subject: 's', text: 't' }),
    });
    assert.equal(res.status, 403);
    assert.equal((await res.json()).code, 'origin_not_allowed');
  });

  test('a CORS preflight naming the project answers for the listed origins only', async () => {
    const preflight = (origin) =>
      fetch(`${server.url}/poll?project=${p.project}&token=${p.token}`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'wsd-session-secret' },
      });
    const refused = await preflight('https://evil.example');
    assert.equal(refused.status, 403);
    const allowed = await preflight('https://app.example.com');
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.equal(allowed.headers.get('access-control-allow-credentials'), 'true');
    assert.match(allowed.headers.get('access-control-allow-headers'), /Wsd-Session-Secret/i);
    assert.match(allowed.headers.get('vary'), /Origin/);
  });

  test('an empty list accepts every origin again', async () => {
    const q = await freshProject(server);
    await settings(server, q.project, { allowedOrigins: ['https://app.example.com'] });
    assert.equal((await refusal(server, 'poll', q, { Origin: 'https://other.example' })).status, 403);
    await settings(server, q.project, { allowedOrigins: [] });
    const res = await fetch(`${server.url}/poll?project=${q.project}&token=${q.token}`, {
      headers: { Origin: 'https://other.example' },
    });
    assert.equal(res.status, 200);
    await res.json();
  });
});

// ---- connection cap ------------------------------------------------------------------

describe('connection cap', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.dispose());

  // Over the cap: refused at the handshake (429) or, when another gateway's projection has
  // not seen the last conn.open yet, closed by the projector (1008).
  async function expectOverCap(transport, p) {
    const query = new URLSearchParams({ project: p.project, token: p.token });
    if (transport === 'ws') {
      const outcome = await new Promise((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/ws?${query}`);
        ws.on('error', () => {});
        ws.on('unexpected-response', (req, res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode, code: JSON.parse(body).code }));
        });
        ws.on('close', (code, reason) => resolve({ close: code, code: reason.toString() }));
      });
      assert.equal(outcome.code, 'too_many_connections');
      if (!distributed) assert.equal(outcome.status, 429);
      return;
    }
    const r = await refusal(server, transport, p);
    if (distributed && r.status === 200) return;  // closed later, by the projector
    assert.equal(r.status, 429);
    assert.equal(assertValid('http/error_response', r.body).code, 'too_many_connections');
  }

  for (const transport of TRANSPORTS) {
    test(`${transport}: a project at its cap refuses the next connection with 429 too_many_connections`, async () => {
      const p = await freshProject(server);
      await settings(server, p.project, { maxConnections: 2 });
      const a = await connect(server, { ...p, transport });
      try {
        const b = await connect(server, { ...p, transport: 'ws' });
        await expectOverCap(transport, p);
        b.close();
        await b.closed;
        // Room again once the close is applied: the handshake counts from the projection
        // (with Kafka on a busy machine, that can take seconds to reach every gateway).
        let c;
        for (let i = 0; !c && i < 200; ++i) {
          c = await connect(server, { ...p, transport }).catch(async (e) => {
            if (e.status !== 429) throw e;
            await new Promise((r) => setTimeout(r, 50));  // retry until conn.close is applied
          });
        }
        assert.ok(c, 'a connection was admitted after one closed');
        c.close();
      } finally {
        a.close();
      }
    });
  }

  test('connections admitted at the same time are cut at the cap by log order (1008)', async () => {
    const p = await freshProject(server);
    await settings(server, p.project, { maxConnections: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => new Promise((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/ws?project=${p.project}&token=${p.token}`);
        ws.on('error', () => {});
        ws.on('unexpected-response', (req, res) => {
          res.resume();
          resolve({ refused: res.statusCode });
        });
        ws.on('message', (d) => {
          if (JSON.parse(d.toString()).type === 'connected') resolve({ connected: true, ws });
        });
        ws.on('close', (code, reason) => resolve({ closed: code, reason: reason.toString() }));
      })),
    );
    const connected = outcomes.filter((o) => o.connected);
    assert.equal(connected.length, 3, JSON.stringify(outcomes.map(({ ws, ...o }) => o)));
    for (const o of outcomes.filter((x) => !x.connected)) {
      if (o.refused) assert.equal(o.refused, 429);
      else assert.deepEqual(o, { closed: 1008, reason: 'too_many_connections' });
    }
    connected.forEach((o) => o.ws.close());
  });

  test('no cap (0) admits as many as the gateway allows', async () => {
    const p = await freshProject(server);
    await settings(server, p.project, { maxConnections: 0 });
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect(server, { ...p, transport: 'ws' })));
    assert.equal(clients.length, 6);
    clients.forEach((c) => c.close());
  });
});

// ---- permessage-deflate --------------------------------------------------------------

describe('permessage-deflate', () => {
  let server, plain, p, q;
  before(async () => {
    server = await startServer(['--ws-deflate', 'on', '--ws-deflate-threshold', '64']);
    plain = await startServer();
    p = await freshProject(server);
    q = await freshProject(plain);
  });
  after(async () => Promise.all([server?.dispose(), plain?.dispose()]));

  function open(srv, proj, perMessageDeflate) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${srv.wsUrl}/ws?project=${proj.project}&token=${proj.token}`, { perMessageDeflate });
      const messages = [];
      const waiters = [];
      ws.on('message', (d) => {
        messages.push(JSON.parse(d.toString()));
        waiters.splice(0).forEach((w) => w());
      });
      ws.next = (type) => new Promise((res) => {
        const check = () => {
          const i = messages.findIndex((m) => m.type === type);
          if (i >= 0) res(messages.splice(i, 1)[0]);
          else waiters.push(check);
        };
        check();
      });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  }

  const chat = { text: 'hello, are we still on for lunch at noon?', at: 1732442400000 };
  const payload = {
    items: Array.from({ length: 40 }, (_, i) => ({ id: `item-${i}`, name: `Product ${i}`, price: i * 3.5, tags: ['a', 'b'] })),
  };

  test('a client that offers it gets it, and small and large messages round-trip both ways', async () => {
    const ws = await open(server, p, { threshold: 0 });
    assert.match(ws.extensions, /permessage-deflate/);
    await ws.next('connected');
    ws.send(JSON.stringify({ type: 'bind', uid: 'z' }));
    await ws.next('bind_success');
    for (const msg of [chat, payload, 'x'.repeat(20000)]) {
      ws.send(JSON.stringify({ type: 'send', to: 'z', msg }));
      assert.deepEqual((await ws.next('direct')).msg, msg);
      await ws.next('send_success');
    }
    ws.close();
  });

  test('a client that does not offer it is served uncompressed', async () => {
    const ws = await open(server, p, false);
    assert.equal(ws.extensions, '');
    await ws.next('connected');
    ws.send(JSON.stringify({ type: 'list' }));
    await ws.next('list');
    ws.close();
  });

  test('both kinds of client exchange messages', async () => {
    const a = await open(server, p, true);
    const b = await open(server, p, false);
    await Promise.all([a.next('connected'), b.next('connected')]);
    a.send(JSON.stringify({ type: 'bind', uid: 'deflating' }));
    b.send(JSON.stringify({ type: 'bind', uid: 'plain' }));
    await Promise.all([a.next('bind_success'), b.next('bind_success')]);
    a.send(JSON.stringify({ type: 'send', to: 'plain', msg: payload }));
    b.send(JSON.stringify({ type: 'send', to: 'deflating', msg: payload }));
    assert.deepEqual((await b.next('direct')).msg, payload);
    assert.deepEqual((await a.next('direct')).msg, payload);
    a.close();
    b.close();
  });

  // 65,541 bytes of one character inflate to exactly fill libwebsockets' 64 KiB inflate
  // buffer before the message's end; as released, 4.3.5 then aborts the whole process (an
  // assert in its permessage-deflate). The message is over --max-message-bytes (64 KiB).
  test('a compressed message inflating past 64 KiB is closed 1009, and the server serves on', async () => {
    const ws = await open(server, p, { threshold: 0 });
    await ws.next('connected');
    const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));
    ws.send('a'.repeat(65541));
    assert.deepEqual(await closed, [1009, 'message_too_big']);
    assert.ok(server.alive());
    const next = await open(server, p, { threshold: 0 });
    await next.next('connected');
    next.close();
  });

  test('it is not negotiated unless enabled (--ws-deflate, off by default)', async () => {
    const ws = await open(plain, q, true);
    assert.equal(ws.extensions, '');
    await ws.next('connected');
    ws.close();
  });
});
