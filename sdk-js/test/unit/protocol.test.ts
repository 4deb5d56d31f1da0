// The wire types (src/protocol.ts) are generated from schemas/ and agree with them: the
// checked-in file is what the generator makes from today's schemas, and the message-type
// lists name exactly the schema files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { generate, HTTP_SCHEMAS } from '../../scripts/gen-protocol.mjs';
import { CLIENT_MESSAGE_TYPES, SERVER_MESSAGE_TYPES } from '../../src/protocol.js';
import type { ClientMessage, ServerMessage, ServerSendSuccess, HttpMailRequest } from '../../src/protocol.js';
import { SCHEMAS, SDK } from '../support/paths.js';

const names = (folder: string) => readdirSync(join(SCHEMAS, folder)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

describe('protocol types', () => {
  test('src/protocol.ts is what scripts/gen-protocol.mjs makes from schemas/ (run `npm run gen` if not)', () => {
    const checkedIn = readFileSync(join(SDK, 'src', 'protocol.ts'), 'utf8');
    expect(checkedIn).toBe((generate as (dir: string) => string)(SCHEMAS));
  });

  test('every http schema the SDK uses exists', () => {
    expect(names('http')).toEqual(expect.arrayContaining(HTTP_SCHEMAS as string[]));
  });

  test('the client and server message types are exactly the schema files', () => {
    expect([...CLIENT_MESSAGE_TYPES].sort()).toEqual(names('client'));
    expect([...SERVER_MESSAGE_TYPES].sort()).toEqual(names('server'));
  });

  test('the generator keeps required fields required and optional ones optional', () => {
    // Type-level: these assignments compile only if the generated types say so.
    const bind: ClientMessage = { type: 'bind', uid: 'u' };
    const ice: ClientMessage = { type: 'webrtc_ice', roomId: 'r', to: 'u', candidate: null };
    const direct: ServerMessage = { type: 'direct', from: 'a', to: 'b', msg: 1 };
    const live: ServerSendSuccess = { type: 'send_success', to: 'b' };
    const multi: ServerSendSuccess = { type: 'send_success', to: ['b'], offline: ['c'] };
    const mail: HttpMailRequest = { to: ['a@b.c'], subject: 's' };
    // @ts-expect-error: `uid` is required by schemas/client/bind.json
    const badBind: ClientMessage = { type: 'bind' };
    expect([bind, ice, direct, live, multi, mail, badBind]).toHaveLength(7);
  });
});
