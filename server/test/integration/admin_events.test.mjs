// GET /admin/events?project=P, the admin event stream (the dashboard's live view): who may
// open it, what it sends (a ready event, then every event of P as applied, each valid
// against schemas/events), and that a reader that stops reading is dropped, not buffered
// for ever. In the two-gateways deployment the stream is read from one gateway, which
// applies every event whichever gateway took the action.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tcpConnect } from 'node:net';
import { startServer } from './lib/server.mjs';
import { freshProject, call } from './lib/admin.mjs';
import { bound } from './lib/clients.mjs';
import { assertValid } from './lib/schemas.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server.dispose());

// One process to read the stream from (a gateway of a deployment, or the server).
const reader = () => server.gateways?.[0] ?? server;

// Opens the stream; `next(pred)` resolves with the next SSE block {event, id, data} that
// matches, in order of arrival; `close()` ends it.
async function openStream(project, token = server.adminToken) {
  const controller = new AbortController();
  const res = await fetch(`${reader().url}/admin/events?project=${encodeURIComponent(project)}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const blocks = [];
  const waiters = new Set();
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = { event: 'message', id: undefined, data: undefined, comment: false };
          for (const line of buffer.slice(0, end).split('\n')) {
            if (line.startsWith(':')) block.comment = true;
            else if (line.startsWith('event: ')) block.event = line.slice(7);
            else if (line.startsWith('id: ')) block.id = line.slice(4);
            else if (line.startsWith('data: ')) block.data = JSON.parse(line.slice(6));
          }
          buffer = buffer.slice(end + 2);
          blocks.push(block);
          for (const w of [...waiters]) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  const next = (pred, timeoutMs = 10000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const i = blocks.findIndex(pred);
        if (i < 0) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(blocks.splice(0, i + 1).at(-1));
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        const seen = blocks.map((x) => x.event === 'ready' ? 'ready' : x.data?.type ?? 'comment');
        reject(new Error(`no matching block within ${timeoutMs} ms; got ${seen.join(', ').slice(0, 2000)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return { next, blocks, close: () => controller.abort() };
}

const ofType = (type) => (b) => b.data?.type === type;

test('the stream needs the admin token, a project that exists, and GET', async () => {
  const { project } = await freshProject(server);
  const url = `${reader().url}/admin/events?project=${project}`;
  const cases = [
    [url, {}, 401, 'unauthorized'],
    [url, { headers: { authorization: 'Bearer wrong' } }, 401, 'unauthorized'],
    [`${reader().url}/admin/events`, { headers: { authorization: `Bearer ${server.adminToken}` } }, 400, 'bad_request'],
    [`${url}_nope`, { headers: { authorization: `Bearer ${server.adminToken}` } }, 404, 'project_not_found'],
    [url, { method: 'POST', headers: { authorization: `Bearer ${server.adminToken}` } }, 405, 'method_not_allowed'],
  ];
  for (const [target, init, status, code] of cases) {
    const res = await fetch(target, init);
    assert.equal(res.status, status, `${init.method ?? 'GET'} ${target}`);
    assert.equal(assertValid('http/error_response', await res.json()).code, code);
  }
});

test('a ready event, then every event of the project as applied, in order and schema-valid, and none of other projects', async () => {
  const { project, token } = await freshProject(server);
  const other = await freshProject(server);
  const stream = await openStream(project);
  const ready = await stream.next((b) => b.event === 'ready');
  assertValid('http/admin_events_ready', ready.data);
  assert.equal(ready.data.project, project);

  const alice = await bound(server, { project, token }, 'alice');
  const bob = await bound(server, { project, token }, 'bob');
  const noise = await bound(server, other, 'carol');
  await alice.send({ type: 'send', to: 'bob', msg: 'hi' });
  await bob.inbox.next('direct');
  await noise.send({ type: 'broadcast', msg: 'elsewhere' });
  await call(server, 'PATCH', '/token', { projectKey: project, token, expiresAt: null });

  const seen = [];
  for (const type of ['conn.open', 'uid.bind', 'conn.open', 'uid.bind', 'message.direct', 'token.update']) {
    const block = await stream.next(ofType(type));
    seen.push(block);
  }
  for (const block of seen) {
    assertValid('events/envelope', block.data);
    assertValid(`events/${block.data.type}`, block.data);
    assert.equal(block.data.project, project);
    assert.equal(block.id, block.data.id);
  }
  assert.deepEqual(seen[4].data.data.to, 'bob');
  // Log order: ids are sortable by time, and each block came after the one before.
  const ids = seen.map((b) => b.data.id);
  assert.deepEqual([...ids].sort(), ids);
  assert.ok(!stream.blocks.some((b) => b.data?.project === other.project));
  stream.close();
  for (const c of [alice, bob, noise]) c.close();
});

test('a reader that stops reading is dropped once it is megabytes behind; a reader that keeps up goes on', async () => {
  const { project, token } = await freshProject(server);
  const target = reader();
  const { hostname, port } = new URL(target.url);
  // A reader that reads the headers and the ready event, then nothing more.
  const socket = tcpConnect(Number(port), hostname);
  socket.write(`GET /admin/events?project=${project} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${server.adminToken}\r\n\r\n`);
  let received = 0;
  await new Promise((resolve) => {
    let head = '';
    socket.on('data', (chunk) => {
      received += chunk.length;
      head += chunk;
      if (head.includes('event: ready')) resolve();
    });
  });
  socket.pause();
  const closed = new Promise((resolve) => socket.on('close', resolve));
  const healthy = await openStream(project);

  // Batches of 300 KB of events; the healthy reader reads each before the next is sent,
  // the paused one falls behind until the kernel's buffers and wsd's 4 MiB are full.
  const drops = () => (target.stderr().match(/admin event stream of project=\S+ dropped/g) ?? []).length;
  const sender = await bound(server, { project, token }, 'sender');
  const big = 'x'.repeat(60000);
  let sent = 0;
  const batch = async () => {
    for (let k = 0; k < 5; ++k) await sender.send({ type: 'broadcast', msg: { i: sent++, big } });
    const last = sent - 1;
    await healthy.next((b) => b.data?.type === 'message.broadcast' && b.data.data.msg.i === last, 20000);
  };
  while (drops() === 0) {
    assert.ok(sent < 1000, 'the paused reader was never dropped (60 MB sent)');
    await batch();
  }
  await batch();  // the healthy reader goes on after the drop
  assert.equal(drops(), 1);

  socket.resume();
  socket.on('data', (chunk) => (received += chunk.length));
  await closed;  // wsd closed it: what was kept for it is gone
  assert.ok(received < sent * 60000, `the dropped reader still got ${received} of ${sent * 60000} bytes`);
  healthy.close();
  sender.close();
});
