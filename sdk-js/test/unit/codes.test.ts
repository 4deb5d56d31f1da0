// The SDK's code table (src/codes.ts) matches the server's: docs/protocol.md, the HTTP
// error schema's list of codes with their statuses, and the table the server takes every
// code it sends to clients from (server/src/core/error_codes.h).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CLOSE_CODES, CLOSE_REASONS, SERVER_ERROR_CODES, isRetryableClose, isRetryableCode } from '../../src/codes.js';
import { REPO } from '../support/paths.js';

const table = SERVER_ERROR_CODES as Record<string, { status: number; message: boolean }>;
const protocolMd = readFileSync(join(REPO, 'docs', 'protocol.md'), 'utf8');

function section(md: string, heading: string): string {
  const start = md.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`docs/protocol.md has no "## ${heading}"`);
  const end = md.indexOf('\n## ', start + 3);
  return md.slice(start, end < 0 ? undefined : end);
}

// The rows of the server's table: {"name", surfaces, {status, status}, closeCode, "meaning"}.
const serverCodes = [
  ...readFileSync(join(REPO, 'server', 'src', 'core', 'error_codes.h'), 'utf8').matchAll(
    /^\s*\{"([a-z_0-9]+)",\s*([^,]+),\s*\{(\d+), (\d+)\},\s*(\d+),/gm,
  ),
].map((m) => ({ name: m[1]!, surfaces: m[2]!, closeCode: Number(m[5]) }));

describe('error codes', () => {
  test('every code of the protocol doc\'s Errors table is an `error` message code here', () => {
    const rows = [...section(protocolMd, 'Errors').matchAll(/^\| `([a-z_]+)`(?: \*\(wsd\)\*)? \|/gm)].map((m) => m[1]!);
    expect(rows.length).toBeGreaterThan(10);
    for (const code of rows) {
      expect(table[code], code).toBeDefined();
      expect(table[code]!.message, `${code} comes in error messages`).toBe(true);
    }
  });

  test('every HTTP code the error schema lists is here with the same status', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schemas', 'http', 'error_response.json'), 'utf8'));
    const description: string = schema.properties.code.description;
    // "bad_request, invalid_json, invalid_address (400); unauthorized, ... (401); ..."
    const groups = [...description.matchAll(/([a-z_, ]+) \((\d{3})\)/g)];
    expect(groups.length).toBeGreaterThan(8);
    for (const [, codes, status] of groups) {
      for (const code of codes!.split(',').map((c) => c.trim()).filter(Boolean)) {
        expect(table[code], code).toBeDefined();
        // A code sent over HTTP with several statuses is not expected; the table keeps one.
        expect(table[code]!.status, `${code} status`).toBe(Number(status));
      }
    }
  });

  test('every error message and HTTP code of the server\'s table is here', () => {
    const sent = serverCodes.filter((c) => /kErrorMessage|kMessageAndHttp|kHttpError|kHttpAndClose/.test(c.surfaces));
    expect(sent.length).toBeGreaterThan(30);
    for (const { name } of sent) expect(table[name], `server code ${name}`).toBeDefined();
  });

  test('refusals that retrying cannot fix are not retried', () => {
    for (const code of ['invalid_token', 'token_expired', 'project_not_found', 'bad_request']) {
      expect(isRetryableCode(code), code).toBe(false);
    }
    for (const code of ['too_many_connections', 'log_unavailable', 'transport_failed', 'timeout']) {
      expect(isRetryableCode(code), code).toBe(true);
    }
  });
});

describe('close codes', () => {
  const closeLine = protocolMd.slice(protocolMd.indexOf('Close codes:'), protocolMd.indexOf('## Admin API'));

  test('every close code of the protocol doc is in the table', () => {
    const codes = [...closeLine.matchAll(/\b(1\d{3}|4\d{3})\b/g)].map((m) => Number(m[1]));
    expect(codes).toEqual(expect.arrayContaining([1000, 1001, 1003, 1008, 1009, 4000]));
    for (const code of codes) expect(CLOSE_CODES[code as keyof typeof CLOSE_CODES], String(code)).toBeDefined();
  });

  test('every close reason of the protocol doc and of the server source is in the table, with its code', () => {
    const documented = [...closeLine.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
    expect(documented).toEqual(expect.arrayContaining(['token_revoked', 'project_deleted', 'node_declared_down']));
    const fromSource = serverCodes.filter((c) => c.closeCode !== 0).map((c) => [c.name, c.closeCode] as const);
    expect(fromSource.length).toBeGreaterThan(10);
    const reasons = CLOSE_REASONS as Record<string, { code: number }>;
    for (const reason of documented) expect(reasons[reason], reason).toBeDefined();
    for (const [reason, code] of fromSource) {
      expect(reasons[reason], reason).toBeDefined();
      expect(reasons[reason]!.code, reason).toBe(code);
    }
  });

  test('revocation, expiry and deletion end the client; the others reconnect', () => {
    expect(isRetryableClose('token_revoked')).toBe(false);
    expect(isRetryableClose('project_deleted')).toBe(false);
    expect(isRetryableClose('token_expired')).toBe(false);
    expect(isRetryableClose('heartbeat_timeout')).toBe(true);
    expect(isRetryableClose('slow_consumer')).toBe(true);
    expect(isRetryableClose('something new')).toBe(true);
  });
});
