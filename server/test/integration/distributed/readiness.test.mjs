// /readyz follows Redis: a gateway given --redis is ready while Redis answers, answers 503
// naming Redis while it does not, and is ready again when it is back. /metrics shows the
// projector's lag per partition, which falls back to 0 once the projector has written
// what it read. This test runs a Redis of its own (deploy/local/redis.sh), since it stops
// it. (Run by run-with-kafka.sh.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { freshProject } from '../lib/admin.mjs';
import { bound } from '../lib/clients.mjs';
import { assertValid } from '../lib/schemas.mjs';
import { until } from '../lib/redis.mjs';
import { freeLocalPort } from '../lib/ports.mjs';

const redisScript = new URL('../../../../deploy/local/redis.sh', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'wsd-readiness-'));
let port;
const redis = (command) => execFileSync('bash', [redisScript, command, dir, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });

let wsd;
before(async () => {
  port = await freeLocalPort();  // below 32768: the Redis restarted below must get it back
  redis('start');
  wsd = await startServer(['--redis', `redis://127.0.0.1:${port}/0`], undefined, 'all');
});
after(async () => {
  await wsd?.dispose();
  redis('stop');
  rmSync(dir, { recursive: true, force: true });
});

async function readiness() {
  const res = await fetch(`${wsd.url}/readyz`);
  return { status: res.status, body: assertValid('http/readyz_response', await res.json()) };
}

async function projectorLag() {
  const text = await (await fetch(`${wsd.url}/metrics`)).text();
  return [...text.matchAll(/^wsd_projector_lag\{partition="(\d+)"\} (\d+)$/gm)].map((m) => Number(m[2]));
}

test('the projector lag is shown per partition and comes back to 0 after traffic', async () => {
  const p = await freshProject(wsd);
  const alice = await bound(wsd, { ...p, transport: 'ws' }, 'alice');
  for (let i = 0; i < 20; ++i) await alice.send({ type: 'send', to: 'nobody', msg: i });
  for (let i = 0; i < 20; ++i) await alice.next('send_success');
  await until(async () => {
    const lag = await projectorLag();
    return lag.length === 2 && lag.every((n) => n === 0);
  }, 'the projector lag of both partitions to be 0');
  alice.close();
});

test('/readyz answers 503 naming Redis while it is down, and 200 again once it is back', async () => {
  const up = await readiness();
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.deepEqual(up.body.checks, { log: 'ok', redis: 'ok' });

  redis('stop');
  let down;
  await until(async () => (down = await readiness()).status === 503, '/readyz to answer 503');
  assert.equal(down.body.code, 'not_ready');
  assert.equal(down.body.checks.log, 'ok');
  assert.notEqual(down.body.checks.redis, 'ok');
  assert.match(down.body.msg, /^redis: /);

  redis('start');
  await until(async () => (await readiness()).status === 200, '/readyz to answer 200 again');
});
