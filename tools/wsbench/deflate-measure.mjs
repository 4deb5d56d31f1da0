// What permessage-deflate saves on the wire and costs the server, for docs/performance.md.
//
//   node tools/wsbench/deflate-measure.mjs [path/to/wsd]
//
// For each message shape (a typical chat message, a 4 KiB JSON payload) and each server
// setting (deflate off; on with the threshold at 0; on with the default threshold), it
// starts a wsd of its own (embedded log, port 0), has one plain WebSocket client send N
// `send`s to a receiver that offers permessage-deflate, and reports the bytes the
// receiver's socket read per delivered `direct` (frames and headers included) and the
// server's CPU time per delivery (utime + stime from /proc, so the sender's side and the
// log are in it too: compare the rows, not the absolute numbers). Prints JSON Lines.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../../server/test/integration/package.json', import.meta.url));
const WebSocket = require('ws');

const WSD = process.argv[2] ?? new URL('../../build/server/wsd', import.meta.url).pathname;
const ADMIN = 'deflate-measure';

// Messages vary as real ones do (a seeded generator: every run sends the same ones), so the
// compression context shared across a connection's messages does not flatter the ratio.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const WORDS = ('are we still on for lunch at noon I can book the usual place see you there running late ' +
  'the meeting moved to three did you get my file thanks great sounds good tomorrow').split(' ');
const pick = (list) => list[Math.floor(random() * list.length)];
const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
// A chat message: about 120 bytes of JSON.
const chat = () => ({ text: sentence(8 + Math.floor(random() * 6)), at: 1732442400000 + Math.floor(random() * 1e6) });
// A 4 KiB JSON payload: a page of a catalogue.
const payload = () => ({
  items: Array.from({ length: 44 }, (_, i) => ({
    id: `item-${Math.floor(random() * 1e6)}`, name: `${pick(WORDS)} ${pick(WORDS)}`, price: Math.round(random() * 10000) / 100,
    stock: Math.floor(random() * 500), tags: [pick(WORDS), pick(WORDS)],
  })),
});
const shapes = [
  { name: 'chat', make: chat, count: 20000 },
  { name: '4KiB JSON', make: payload, count: 5000 },
];
const settings = [
  { name: 'off', args: ['--ws-deflate', 'off'] },
  { name: 'on, threshold 0', args: ['--ws-deflate', 'on', '--ws-deflate-threshold', '0'] },
  { name: 'on, threshold 256', args: ['--ws-deflate', 'on', '--ws-deflate-threshold', '256'] },
];

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime + stime, in ticks of 10 ms
}

async function startWsd(args) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-deflate-'));
  const proc = spawn(WSD, ['--listen', '127.0.0.1:0', '--admin-token', ADMIN, '--data-dir', dataDir,
    '--rate-limit', '1000000', '--rate-burst', '1000000', '--fsync', 'never', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const port = await new Promise((resolve, reject) => {
    proc.stderr.on('data', (c) => {
      err += c;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => code !== null && reject(new Error(err)));
  });
  const url = `http://127.0.0.1:${port}`;
  const admin = (path, body) => fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: JSON.stringify(body) }).then((r) => r.json());
  await admin('/project', { key: 'bench' });
  const { token } = await admin('/token', { projectKey: 'bench' });
  return { proc, port, token, dispose: () => { proc.kill(); rmSync(dataDir, { recursive: true, force: true }); } };
}

function client(server, uid, perMessageDeflate) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?project=bench&token=${server.token}`, { perMessageDeflate });
    ws.on('error', reject);
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      if (m.type === 'bind_success') resolve(ws);
      if (m.type === 'connected') ws.send(JSON.stringify({ type: 'bind', uid }));
    });
  });
}

for (const shape of shapes) {
  for (const setting of settings) {
    const server = await startWsd(setting.args);
    const receiver = await client(server, 'rx', { threshold: 0 });
    const sender = await client(server, 'tx', false);
    seed = 42;
    const texts = Array.from({ length: shape.count }, () => JSON.stringify({ type: 'send', to: 'rx', msg: shape.make() }));
    let received = 0;
    let textBytes = 0;
    const done = new Promise((resolve) => receiver.on('message', (d) => {
      textBytes += d.length;
      if (++received === shape.count) resolve();
    }));
    const bytesBefore = receiver._socket.bytesRead;
    const cpuBefore = cpuSeconds(server.proc.pid);
    for (let i = 0; i < shape.count; ++i) {
      sender.send(texts[i]);
      if (i % 500 === 499) await new Promise((r) => setImmediate(r));
    }
    await done;
    const bytes = receiver._socket.bytesRead - bytesBefore;
    const cpu = cpuSeconds(server.proc.pid) - cpuBefore;
    console.log(JSON.stringify({
      message: shape.name, directBytes: Math.round(textBytes / shape.count), deflate: setting.name,
      negotiated: receiver.extensions, wireBytesPerMessage: +(bytes / shape.count).toFixed(1),
      serverCpuMicrosPerMessage: +((cpu * 1e6) / shape.count).toFixed(1), messages: shape.count,
    }));
    sender.close();
    receiver.close();
    server.dispose();
  }
}
