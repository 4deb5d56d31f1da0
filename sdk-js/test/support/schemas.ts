// Validators for schemas/ (the files wsd itself compiles in): tests check every message
// the SDK sends and every message it receives against them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { SCHEMAS } from './paths.js';

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (o: object) => import('ajv').default)({ allErrors: true, strict: false });
const cache = new Map<string, ReturnType<typeof ajv.compile>>();

function validator(name: string) {
  let v = cache.get(name);
  if (!v) {
    v = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, `${name}.json`), 'utf8')));
    cache.set(name, v);
  }
  return v;
}

/** Returns the problems of `value` against schemas/<name>.json (empty when valid). */
export function problems(name: string, value: unknown): string[] {
  const v = validator(name);
  return v(value) ? [] : [`${name}: ${ajv.errorsText(v.errors)} in ${JSON.stringify(value)}`];
}

/** For a folder of message schemas (client or server): checks a message by its `type`. */
export function createValidator(folder: 'client' | 'server'): (msg: { type?: unknown }) => string[] {
  const known = new Set(readdirSync(join(SCHEMAS, folder)).map((f) => f.replace(/\.json$/, '')));
  return (msg) => {
    if (typeof msg.type !== 'string' || !known.has(msg.type)) return [`${folder}: no schema for type ${String(msg.type)} in ${JSON.stringify(msg)}`];
    return problems(`${folder}/${msg.type}`, msg);
  };
}
