// Starts a real wsd for a test: its own data dir, a free port, and its stderr kept for
// failure messages. `restart()` starts a new process on the same data dir. In
// distributed runs (WSD_KAFKA_BROKERS, WSD_REDIS_URL set) it also starts projectors,
// mailers, webhook dispatchers and whole deployments: several gateways, a projector and
// a mailer on one topic and one Redis.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const WSD_BIN = process.env.WSD_BIN ?? new URL('../../../../build/server/wsd', import.meta.url).pathname;

const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

// The environment a test's wsd gets: wsd reads an option from WSD_<NAME>, and the suite's
// own WSD_KAFKA_BROKERS names its broker for the harness, not for every server (a test
// that wants Kafka passes --kafka-brokers).
export function wsdEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.WSD_KAFKA_BROKERS;
  return env;
}

// Resolves `ready` with the first match of `readyWhen` in the process's stderr.
export function launch(argv, readyWhen = LISTENING, env = wsdEnv()) {
  const proc = spawn(WSD_BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wsd did not start within 20 s:\n${stderr}`)), 20000);
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = readyWhen.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wsd exited with ${code}:\n${stderr}`));
    });
  });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return { proc, ready, exited, stderr: () => stderr };
}

// With WSD_KAFKA_BROKERS set, every server logs to a Kafka topic of its own (distributed
// mode's log), so the same suite checks both backends.
// `shared` lets several gateways use one topic (and one admin token): one distributed
// deployment.
function backendArgs(shared) {
  const brokers = process.env.WSD_KAFKA_BROKERS;
  if (!brokers) return [];
  const topic = shared?.topic ?? `wsd-test-${randomBytes(6).toString('hex')}`;
  return ['--kafka-brokers', brokers, '--kafka-topic', topic, '--kafka-partitions', '2'];
}

// `redisUrl`: the deployment's Redis database, for its projector and gateways.
export function sharedDeployment(redisUrl = undefined) {
  const id = randomBytes(6).toString('hex');
  return { topic: `wsd-test-${id}`, group: `wsd-projector-${id}`, adminToken: randomBytes(16).toString('hex'), redisUrl };
}

// A gateway (`role` serve) or a whole node (`all`, the default). With
// WSD_DEPLOYMENT=two-gateways, a test's own server is a whole distributed deployment
// instead (see startTwoGateways).
export async function startServer(extraArgs = [], shared = undefined, role = 'all') {
  if (process.env.WSD_DEPLOYMENT === 'two-gateways' && shared === undefined) return startTwoGateways(extraArgs);
  return startProcess(extraArgs, shared, role);
}

async function startProcess(extraArgs, shared, role) {
  const args = [...backendArgs(shared), ...extraArgs];
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-test-'));
  const adminToken = shared?.adminToken ?? randomBytes(16).toString('hex');
  const server = { dataDir, adminToken, args };
  let current;
  async function boot() {
    current = launch([role, '--listen', '127.0.0.1:0', '--admin-token', adminToken, '--data-dir', dataDir, ...args]);
    server.port = Number(await current.ready);
    server.url = `http://127.0.0.1:${server.port}`;
    server.wsUrl = `ws://127.0.0.1:${server.port}`;
    server.proc = current.proc;
  }
  server.stderr = () => current.stderr();
  server.stop = async () => {
    if (current.proc.exitCode === null && current.proc.signalCode === null) {
      current.proc.kill('SIGTERM');
      await current.exited;
    }
  };
  server.kill9 = async () => {
    current.proc.kill('SIGKILL');
    await current.exited;
  };
  server.start = boot;
  server.restart = async () => {
    await server.stop();
    await boot();
  };
  server.dispose = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  server.alive = () => current.proc.exitCode === null && current.proc.signalCode === null;
  server.exited = () => current.exited;  // resolves with { code, signal }
  await boot();
  return server;
}

// For test files that need servers with different flags: start() them as needed and
// dispose of all of them in one `after(pool.disposeAll)`.
export function serverPool() {
  const started = [];
  return {
    start: async (args) => {
      const server = await startServer(args);
      started.push(server);
      return server;
    },
    disposeAll: () => Promise.all(started.map((s) => s.dispose())),
  };
}

// A projector (`wsd project`) for a shared deployment; `redisUrl` overrides the
// deployment's (a from-scratch replay into another database), `group` its consumer group.
export async function startProjector(shared, { redisUrl = shared.redisUrl, group = shared.group, extraArgs = [] } = {}) {
  const args = ['project', ...backendArgs(shared), '--redis', redisUrl, '--projector-group', group, ...extraArgs];
  let current;
  const projector = {
    start: async () => {
      current = launch(args, /projector: (\d+) partition\(s\)/);
      await current.ready;
    },
    stderr: () => current.stderr(),
    kill9: async () => {
      current.proc.kill('SIGKILL');
      await current.exited;
    },
    stop: async () => {
      if (current.proc.exitCode === null && current.proc.signalCode === null) {
        current.proc.kill('SIGTERM');
        await current.exited;
      }
    },
  };
  await projector.start();
  return projector;
}

// A mailer (`wsd mail`) for a shared deployment: it reads the log's mail requests and
// hands the accepted ones to the relay that `extraArgs` names (--smtp-url or
// --mail-http-url and the other mail flags). Ready once it has caught up with the log.
// `restart()` starts a new process on the same data dir.
export async function startMailer(shared, extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-mailer-'));
  const args = ['mail', '--listen', '127.0.0.1:0', '--admin-token', shared.adminToken, '--data-dir', dataDir,
    ...backendArgs(shared), ...extraArgs];
  let current;
  const alive = () => current.proc.exitCode === null && current.proc.signalCode === null;
  const mailer = {
    dataDir,
    start: async () => {
      current = launch(args, /mailer ready()/);
      await current.ready;
    },
    stderr: () => current.stderr(),
    alive,
    kill9: async () => {
      current.proc.kill('SIGKILL');
      await current.exited;
    },
    stop: async () => {
      if (alive()) {
        current.proc.kill('SIGTERM');
        await current.exited;
      }
    },
  };
  mailer.restart = async () => {
    await mailer.stop();
    await mailer.start();
  };
  mailer.dispose = async () => {
    await mailer.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  await mailer.start();
  return mailer;
}

// A webhook dispatcher (`wsd hooks`) for a shared deployment, with the --webhook-* flags
// of `extraArgs`. Ready once it has caught up with the log.
export async function startHooks(shared, extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-hooks-'));
  const args = ['hooks', '--listen', '127.0.0.1:0', '--admin-token', shared.adminToken, '--data-dir', dataDir,
    ...backendArgs(shared), ...extraArgs];
  const current = launch(args, /hooks ready()/);
  await current.ready;
  return {
    stderr: () => current.stderr(),
    dispose: async () => {
      if (current.proc.exitCode === null && current.proc.signalCode === null) {
        current.proc.kill('SIGTERM');
        await current.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Whether these arguments ask for webhooks (then a deployment needs a dispatcher).
const namesWebhooks = (args) => args.some((a) => /^--webhook-/.test(a));

// Whether these arguments name a mail relay (then a deployment needs a mailer).
const namesRelay = (args) => args.some((a) => /^--(smtp-url|mail-http-url)(=|$)/.test(a));

// Two gateways (`serve`, sharing a Redis database) and a projector on one topic, and a
// mailer when the arguments name a mail relay (gateways take POST /mail, the mailer
// sends), and a webhook dispatcher when they name --webhook-* options, behind a
// round-robin balancer: every read of `url` or `wsUrl` — every request,
// every new connection — goes to the next gateway. So every test of the suite runs across
// gateways. An admin change is answered once every gateway has applied it, so the suite
// acts on each answer at once, on whichever gateway comes next.
// Until every gateway hears from the others (wsd_gateway_peers): an admin change is answered
// once the gateways it knows of have applied it, so a deployment is up once they know each other.
async function awaitPeers(gateways) {
  const deadline = Date.now() + 30000;
  for (const g of gateways) {
    for (;;) {
      const text = await (await fetch(`${g.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('wsd_gateway_peers '));
      if (line && Number(line.split(' ')[1]) >= gateways.length - 1) break;
      if (Date.now() > deadline) throw new Error(`gateway ${g.url} never heard from its peers:\n${line}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function startTwoGateways(extraArgs) {
  const { freshRedisUrl } = await import('./redis.mjs');
  const shared = sharedDeployment(await freshRedisUrl());
  const args = ['--redis', shared.redisUrl, ...extraArgs];
  const gateways = [await startProcess(args, shared, 'serve'), await startProcess(args, shared, 'serve')];
  const projector = await startProjector(shared);
  const mailer = namesRelay(extraArgs) ? await startMailer(shared, extraArgs) : null;
  const hooks = namesWebhooks(extraArgs) ? await startHooks(shared, extraArgs) : null;
  await awaitPeers(gateways);
  let next = 0;
  const pick = () => gateways[next++ % gateways.length];
  const everyGateway = (method) => () => Promise.all(gateways.map((g) => g[method]()));
  return {
    adminToken: shared.adminToken,
    gateways,
    mailer,
    get url() { return pick().url; },
    get wsUrl() { return pick().wsUrl; },
    dataDir: gateways[0].dataDir,
    stderr: () => [...gateways, ...(mailer ? [mailer] : [])].map((p) => p.stderr()).join('\n'),
    alive: () => gateways.every((g) => g.alive()),
    kill9: everyGateway('kill9'),
    restart: async () => {
      await everyGateway('restart')();
      await awaitPeers(gateways);
    },
    stop: everyGateway('stop'),
    dispose: async () => {
      await everyGateway('dispose')();
      await projector.stop();
      await mailer?.dispose();
      await hooks?.dispose();
    },
  };
}
