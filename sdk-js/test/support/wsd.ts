// Starts a real wsd for a test, as server/test/integration/lib/server.mjs does: the binary
// named by WSD_BIN (CTest passes $<TARGET_FILE:wsd>), its own data dir, a free port. Unlike
// that harness, restart() keeps the port, so a client's URL stays valid across restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

export const WSD_BIN = process.env.WSD_BIN ?? fileURLToPath(new URL('../../../build/server/wsd', import.meta.url));
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;

export interface Wsd {
  url: string;
  port: number;
  adminToken: string;
  dataDir: string;
  stderr(): string;
  /** SIGTERM, wait for the exit. */
  stop(): Promise<void>;
  /** Starts again on the same data dir and port. */
  start(): Promise<void>;
  restart(): Promise<void>;
  kill9(): Promise<void>;
  /** Stops and removes the data dir. */
  dispose(): Promise<void>;
}

export async function startWsd(extraArgs: string[] = []): Promise<Wsd> {
  if (!existsSync(WSD_BIN)) throw new Error(`no wsd binary at ${WSD_BIN} (set WSD_BIN)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'wsd-sdkjs-'));
  const adminToken = randomBytes(16).toString('hex');
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let log = '';
  let port = 0;

  async function boot(): Promise<void> {
    const args = ['all', '--listen', `127.0.0.1:${port}`, '--admin-token', adminToken, '--data-dir', dataDir, ...extraArgs];
    // Right after a stop the port may linger briefly; a few tries at once, no sleeping on a guess.
    for (let attempt = 0; ; attempt++) {
      const p = spawn(WSD_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      proc = p;
      exited = new Promise((resolve) => p.on('exit', () => resolve()));
      let mine = '';
      try {
        port = await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`wsd did not start within 20 s:\n${mine}`)), 20000);
          p.stderr!.on('data', (chunk: Buffer) => {
            mine += chunk;
            log += chunk;
            const m = LISTENING.exec(mine);
            if (m) {
              clearTimeout(timer);
              resolve(Number(m[1]));
            }
          });
          p.on('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`wsd exited with ${code}:\n${mine}`));
          });
          p.on('error', (e) => {
            clearTimeout(timer);
            reject(new Error(`wsd could not start (${WSD_BIN}): ${e.message}`));
          });
        });
        return;
      } catch (e) {
        if (attempt >= 20 || !/listen|bind|address/i.test(String(e))) throw e;
        await exited;
      }
    }
  }

  const alive = () => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  const server: Wsd = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    adminToken,
    dataDir,
    stderr: () => log,
    async stop() {
      if (alive()) {
        proc!.kill('SIGTERM');
        await exited;
      }
    },
    start: boot,
    async restart() {
      await server.stop();
      await boot();
    },
    async kill9() {
      if (alive()) {
        proc!.kill('SIGKILL');
        await exited;
      }
    },
    async dispose() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await boot();
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return server;
}

/** A project of its own with one token, made through the admin API with plain fetch. */
export async function freshProject(server: Wsd): Promise<{ project: string; token: string }> {
  const project = `p_${randomBytes(6).toString('hex')}`;
  const headers = { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' };
  let res = await fetch(`${server.url}/project`, { method: 'POST', headers, body: JSON.stringify({ key: project, name: project }) });
  if (res.status !== 200) throw new Error(`create project: ${res.status} ${await res.text()}`);
  res = await fetch(`${server.url}/token`, { method: 'POST', headers, body: JSON.stringify({ projectKey: project }) });
  if (res.status !== 200) throw new Error(`issue token: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  return { project, token };
}
