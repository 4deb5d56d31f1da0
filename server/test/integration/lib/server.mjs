// Starts a real wsd for a test: its own data dir, a free port, and its stderr kept for
// failure messages. `restart()` starts a new process on the same data dir.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const WSD_BIN = process.env.WSD_BIN ?? new URL('../../../../build/server/wsd', import.meta.url).pathname;

function launch(dataDir, adminToken, args) {
  const proc = spawn(WSD_BIN, ['all', '--listen', '127.0.0.1:0', '--admin-token', adminToken, '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wsd did not start within 10 s:\n${stderr}`)), 10000);
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
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

export function sharedDeployment() {
  return { topic: `wsd-test-${randomBytes(6).toString('hex')}`, adminToken: randomBytes(16).toString('hex') };
}

export async function startServer(extraArgs = [], shared = undefined) {
  const args = [...backendArgs(shared), ...extraArgs];
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-test-'));
  const adminToken = shared?.adminToken ?? randomBytes(16).toString('hex');
  const server = { dataDir, adminToken, args };
  let current;
  async function boot() {
    current = launch(dataDir, adminToken, args);
    server.port = await current.ready;
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
  server.restart = async () => {
    await server.stop();
    await boot();
  };
  server.dispose = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  server.alive = () => current.proc.exitCode === null && current.proc.signalCode === null;
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
