// The one error type of the SDK. Every rejected promise and every failure event carries a
// WsdError whose `code` is from src/codes.ts.
import type { ErrorCode } from './codes.js';
import type { ClientMessage } from './protocol.js';

/** Rate-limit state that POST /mail answers carry. */
export interface RateLimitInfo {
  allowed: boolean;
  count: number;
  max: number;
}

/** Details a WsdError may carry besides its code. */
export interface WsdErrorDetails {
  /** HTTP status, for errors answered over HTTP (handshakes, POSTs, admin and mail calls). */
  status?: number | undefined;
  /** Close code, for errors that closed the link. */
  closeCode?: number | undefined;
  /** The client message this error answers, when it could be told. */
  request?: ClientMessage | undefined;
  /** POST /mail: the token's window after the decision. */
  rateLimit?: RateLimitInfo | undefined;
  /** POST /mail 429: seconds until a mail can be accepted again (Retry-After). */
  retryAfter?: number | undefined;
  /** The JSON body of an HTTP error, as the server sent it. */
  body?: unknown;
  /** What caused this error (a network error, for example). */
  cause?: unknown;
}

/** An error from wsd or from the SDK; `code` says which (see ERROR codes in codes.ts). */
export class WsdError extends Error {
  /** A server code (`invalid_token`, `not_bound`...) or an SDK code (`timeout`...). */
  readonly code: ErrorCode | (string & {});
  readonly status?: number;
  readonly closeCode?: number;
  readonly request?: ClientMessage;
  readonly rateLimit?: RateLimitInfo;
  readonly retryAfter?: number;
  readonly body?: unknown;

  constructor(code: ErrorCode | (string & {}), message: string, details: WsdErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WsdError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.closeCode !== undefined) this.closeCode = details.closeCode;
    if (details.request !== undefined) this.request = details.request;
    if (details.rateLimit !== undefined) this.rateLimit = details.rateLimit;
    if (details.retryAfter !== undefined) this.retryAfter = details.retryAfter;
    if (details.body !== undefined) this.body = details.body;
  }
}

/** Builds a WsdError from an HTTP error answer (`{"status":"error","code","msg"}`). */
export async function errorFromResponse(res: Response, fallback = 'unexpected_response'): Promise<WsdError> {
  const text = await res.text().catch(() => '');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const code = typeof b.code === 'string' ? b.code : fallback;
  const msg = typeof b.msg === 'string' ? b.msg : `HTTP ${res.status}${text && typeof body === 'string' ? `: ${text.slice(0, 200)}` : ''}`;
  const retryHeader = res.headers.get('retry-after');
  const details: WsdErrorDetails = { status: res.status, body };
  if (typeof b.rateLimit === 'object' && b.rateLimit !== null) details.rateLimit = b.rateLimit as RateLimitInfo;
  if (retryHeader !== null && retryHeader !== '' && !Number.isNaN(Number(retryHeader))) details.retryAfter = Number(retryHeader);
  return new WsdError(code, msg, details);
}
