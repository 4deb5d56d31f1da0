#!/usr/bin/env node
// Builds dist/: ESM (dist/esm) and CommonJS (dist/cjs), each with .d.ts, with tsc.
// Run by `npm run build` and by CTest's sdk_js.build (deploy/local/test.sh runs CTest).
// Warns when src/protocol.ts is stale against schemas/ (`npm run gen` fixes it); the unit
// test protocol.test.ts fails then.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, OUTPUT } from './gen-protocol.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

if (readFileSync(OUTPUT, 'utf8') !== generate()) {
  console.warn('build: WARNING: src/protocol.ts does not match schemas/: run `npm run gen` (test/unit/protocol.test.ts fails until then)');
}
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`build: tsc -p ${project} failed`);
    process.exit(r.status ?? 1);
  }
}
mkdirSync(join(root, 'dist', 'cjs'), { recursive: true });
writeFileSync(join(root, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
console.log('build: dist/esm and dist/cjs written');
