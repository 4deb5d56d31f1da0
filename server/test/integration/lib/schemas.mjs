// Every message a test receives is checked against schemas/ (the files wsd itself ships).
import Ajv from 'ajv';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMAS = process.env.WSD_SCHEMAS ?? new URL('../../../../schemas', import.meta.url).pathname;
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map();

function validator(name) {
  if (!compiled.has(name)) {
    const file = join(SCHEMAS, `${name}.json`);
    if (!existsSync(file)) throw new Error(`no schema ${name}.json for a message the server sent`);
    compiled.set(name, ajv.compile(JSON.parse(readFileSync(file, 'utf8'))));
  }
  return compiled.get(name);
}

export function assertValid(name, value) {
  const validate = validator(name);
  if (!validate(value)) {
    throw new Error(`${name}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(value)}`);
  }
  return value;
}

export const assertServerMessage = (message) => assertValid(`server/${message.type}`, message);
