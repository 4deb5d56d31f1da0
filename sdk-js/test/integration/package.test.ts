// The built package is what package.json promises: ESM and CommonJS entry points with
// types, nothing a browser would have to resolve at load time, no runtime dependency.
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { SDK } from '../support/paths.js';

const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8'));

describe('the package', () => {
  test('every file the exports map names exists after the build', () => {
    const targets: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    walk([pkg.main, pkg.module, pkg.types]);
    for (const t of targets) expect(existsSync(join(SDK, t)), t).toBe(true);
  });

  test('require() gets the CommonJS build and import gets the ES module build, with the same API', async () => {
    const require = createRequire(join(SDK, 'package.json'));
    const cjs = require('@wsd/client');
    const esm = await import('@wsd/client');
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
    for (const name of ['WsdClient', 'connect', 'AdminClient', 'MailClient', 'CallAgent', 'WsdError', 'SERVER_ERROR_CODES']) {
      expect(typeof cjs[name], name).not.toBe('undefined');
    }
    expect(new cjs.WsdError('timeout', 'x')).toBeInstanceOf(Error);
  });

  test('no runtime dependency; `ws` is an optional peer, loaded only when there is no global WebSocket', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependenciesMeta.ws.optional).toBe(true);
    for (const dir of ['esm', 'cjs']) {
      for (const f of readdirSync(join(SDK, 'dist', dir)).filter((f) => f.endsWith('.js'))) {
        const text = readFileSync(join(SDK, 'dist', dir, f), 'utf8');
        expect(text, `${dir}/${f}`).not.toMatch(/from ['"]ws['"]|require\(['"]ws['"]\)/);
      }
    }
  });

  test('metadata for publishing: name, license, engines, files, types', () => {
    expect(pkg).toMatchObject({ name: '@wsd/client', license: expect.any(String), engines: { node: '>=20' }, types: './dist/esm/index.d.ts' });
    expect(pkg.files).toEqual(expect.arrayContaining(['dist']));
    expect(pkg.private).toBeUndefined();
  });
});
