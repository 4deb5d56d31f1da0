// The mail API: POST /mail?project&token with the seed's body (docs/protocol.md "Mail API").
import { fetchFunction } from './env.js';
import { WsdError, errorFromResponse } from './errors.js';
import { endpoints, networkError, sessionQuery, type Endpoints } from './transport.js';
import type { MailRequest, MailResult } from './types.js';

/** Options of MailClient. */
export interface MailClientOptions {
  /** The server's base URL (http(s):// or ws(s)://). */
  url: string;
  project: string;
  token: string;
  /** fetch. Default: the global one. */
  fetch?: typeof fetch;
}

/** Sends mail through wsd's mailer with a project token. */
export class MailClient {
  private readonly ends: Endpoints;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: MailClientOptions) {
    this.ends = endpoints(options.url);
    this.fetchFn = fetchFunction(options.fetch);
  }

  /**
   * Sends one mail. Resolves once the relay took it (with the token's rate-limit window).
   * Rejects with a WsdError: `mail_rate_limited` (429, with `retryAfter` in seconds and
   * `rateLimit`), `invalid_address` / `bad_request` (400), `invalid_token` / `token_expired`
   * (401), `project_not_found` (404), `mail_relay_failed` (502), `mail_not_configured` /
   * `log_unavailable` (503), `mail_timeout` (504: the mail may still go out).
   */
  async send(mail: MailRequest): Promise<MailResult> {
    const url = `${this.ends.http}/mail?${sessionQuery(this.options.project, this.options.token)}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(mail),
      });
    } catch (cause) {
      throw networkError('POST /mail failed', cause);
    }
    if (res.status !== 200) throw await errorFromResponse(res);
    const body = (await res.json()) as { msg: string; rateLimit: MailResult['rateLimit']; id?: string };
    if (!body || typeof body !== 'object' || typeof body.rateLimit !== 'object') {
      throw new WsdError('unexpected_response', 'POST /mail answered 200 without rateLimit', { body });
    }
    const out: MailResult = { msg: body.msg, rateLimit: body.rateLimit };
    if (body.id !== undefined) out.id = body.id;
    return out;
  }
}

/** POST /mail once: `sendMail({url, project, token}, mail)`. */
export function sendMail(options: MailClientOptions, mail: MailRequest): Promise<MailResult> {
  return new MailClient(options).send(mail);
}
