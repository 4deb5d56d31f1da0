// The package as npm users get it: `npm pack` (its prepack builds dist/) on a copy of the
// sources, the tarball installed in a scratch project in a temporary directory, then used
// from ESM and CommonJS, and type-checked by TypeScript with moduleResolution node16 and
// bundler, with the DOM lib (a web app) and without it (a Node app: lib es2022, types
// node), skipLibCheck off so the package's own .d.ts files are checked too. TypeScript and
// @types/node are the versions of this package's lock file, installed from the npm cache
// when it has them.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SCHEMAS, SDK } from '../support/paths.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'wsd-client-pack-'));
const app = join(work, 'app');
let tarball = '';

// Never a synchronous child process: the test worker must keep answering vitest meanwhile.
const execFileAsync = promisify(execFile);
const SLOW = 240000;  // npm pack builds, tsc checks @types/node and the DOM lib: on 2 busy cores

async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
    return stdout;
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed (${e.code}):\n${e.stdout}\n${e.stderr}`);
  }
}

// The sources npm would pack, copied so that prepack's build does not replace the dist/
// that the other test files are using; schemas/ beside them, as in the repository.
function copySources(): string {
  const copy = join(work, 'sdk-js');
  mkdirSync(copy);
  symlinkSync(SCHEMAS, join(work, 'schemas'));
  for (const f of ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'tsconfig.json', 'tsconfig.cjs.json']) {
    cpSync(join(SDK, f), join(copy, f));
  }
  cpSync(join(SDK, 'src'), join(copy, 'src'), { recursive: true });
  cpSync(join(SDK, 'scripts'), join(copy, 'scripts'), { recursive: true });
  symlinkSync(join(SDK, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

// `name@version` of the lock file, as a tarball address on the configured registry: npm
// installs that from its cache offline, where a plain `name@version` needs the registry's
// index of the package.
function lockedTarball(name: string, registry: string): string {
  const lock = JSON.parse(readFileSync(join(SDK, 'package-lock.json'), 'utf8'));
  const version: string = lock.packages[`node_modules/${name}`].version;
  return `${registry}${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

async function installInApp(): Promise<void> {
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
  const registry = (await run(npm, ['config', 'get', 'registry'], work)).trim().replace(/\/?$/, '/');
  const packages = [tarball, ...['typescript', '@types/node', 'undici-types'].map((n) => lockedTarball(n, registry))];
  const args = ['install', '--no-audit', '--no-fund', '--no-package-lock', ...packages];
  await run(npm, [...args, '--offline'], app).catch(() => run(npm, [...args, '--prefer-offline'], app));
}

beforeAll(async () => {
  const copy = copySources();
  await run(npm, ['pack', '--pack-destination', work], copy);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(app);
  await installInApp();
}, SLOW);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  test('ships dist/ (built by prepack) for both module systems, and the README', async () => {
    const files = (await run('tar', ['-tzf', tarball], work)).split('\n');
    for (const f of ['dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/cjs/index.js', 'dist/cjs/index.d.ts', 'dist/cjs/package.json', 'README.md']) {
      expect(files, f).toContain(`package/${f}`);
    }
  });
});

// A call that works without a server: a client of a closed port gives up with transport_failed.
const offlineUse = (imported: string) => `
const { WsdClient, WsdError, backoffDelay, DEFAULT_RECONNECT } = ${imported};
const client = new WsdClient({ url: 'http://127.0.0.1:9', project: 'p', token: async () => 't', transports: ['poll'], reconnect: false });
client.connect().then(
  () => { console.log('connected?'); process.exit(1); },
  (e) => {
    if (!(e instanceof WsdError) || e.code !== 'transport_failed') { console.log('wrong error', e); process.exit(1); }
    console.log('ok', typeof backoffDelay(DEFAULT_RECONNECT, 1));
  },
);`;

describe('the installed package', () => {
  test('works from an ES module (import)', async () => {
    writeFileSync(join(app, 'esm.mjs'), offlineUse("await import('@wsd/client')"));
    expect(await run(process.execPath, ['esm.mjs'], app)).toBe('ok number\n');
  });

  test('works from CommonJS (require)', async () => {
    writeFileSync(join(app, 'cjs.cjs'), offlineUse("require('@wsd/client')"));
    expect(await run(process.execPath, ['cjs.cjs'], app)).toBe('ok number\n');
  });

  // What an app writes: the client with a token function, the admin client, error codes
  // and, with the DOM, a call with the browser's RTCPeerConnection.
  const source = (dom: boolean) => `
import { AdminClient, CallAgent, WsdClient, WsdError, type ClientOptions, type PeerConnectionState } from '@wsd/client';
const options: ClientOptions = { url: 'http://127.0.0.1:8080', project: 'demo', token: async () => 'fresh' };
const client = new WsdClient(options);
const agent = new CallAgent(client, { iceServers: [{ urls: 'stun:stun.example' }], media: { audio: true, video: false } });
const state: PeerConnectionState = 'connected';
const admin = new AdminClient({ url: 'http://127.0.0.1:8080', adminToken: 'x' });
const code: string = new WsdError('timeout', 'late').code;
${dom ? "const withDom = new CallAgent(client, { RTCPeerConnection, getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c) });\nvoid withDom;" : ''}
void [agent, state, admin, code];
`;

  const configurations = [
    { name: 'moduleResolution node16, without the DOM lib', resolution: 'node16', dom: false },
    { name: 'moduleResolution node16, with the DOM lib', resolution: 'node16', dom: true },
    { name: 'moduleResolution bundler, without the DOM lib', resolution: 'bundler', dom: false },
    { name: 'moduleResolution bundler, with the DOM lib', resolution: 'bundler', dom: true },
  ];

  test.each(configurations)('type-checks with TypeScript, $name (skipLibCheck off)', async ({ name, resolution, dom }) => {
    const dir = join(app, name.replace(/[^a-z0-9]+/gi, '-'));
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.ts'), source(dom));
    const files = ['app.ts'];
    if (resolution === 'node16') {
      // The CommonJS side of the exports map, as a .cts file of the same project.
      writeFileSync(join(dir, 'app.cts'), "import wsd = require('@wsd/client');\nconst c: wsd.WsdClient = new wsd.WsdClient({ url: 'http://h', project: 'p', token: 't' });\nvoid c;\n");
      files.push('app.cts');
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        lib: dom ? ['es2022', 'dom'] : ['es2022'],
        types: ['node'],
        module: resolution === 'node16' ? 'node16' : 'esnext',
        moduleResolution: resolution,
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        typeRoots: [join(app, 'node_modules', '@types')],
      },
      files,
    }));
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    // tsc prints its findings and fails with them; run() shows them in the failure.
    expect(await run(process.execPath, [tsc, '-p', dir], dir)).toBe('');
  }, SLOW);
});
