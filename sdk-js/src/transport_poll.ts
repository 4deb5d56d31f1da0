// Long polling: the first GET /poll?project&token&mode opens a session and answers
// `[{"type":"connected",...}]`; each GET /poll?project&token&connId answers the pending
// messages as a JSON array (or [] after the server's poll timeout, 25 s); client messages
// are POST /poll?project&token&connId. Every request after the first carries the session's
// secret (from `connected`) in the Wsd-Session-Secret header. One GET is outstanding at a time.
//
// A GET that fails on the network is retried (pollRetries times, 500 ms apart) before the
// link counts as lost: the session lives on the server for 60 s without a GET, so a short
// outage loses nothing. 404 unknown_conn means the session ended.
import { WsdError, errorFromResponse } from './errors.js';
import { networkError, PostQueue, secretHeaders, sessionQuery, type Transport, type TransportContext } from './transport.js';

type Message = { type: string; [k: string]: unknown };

export function createPollTransport(ctx: TransportContext): Transport {
  const base = `${ctx.endpoints.http}/poll`;
  let connId: string | undefined;
  let secret: string | undefined;
  let closed = false;
  let reportedClose = false;
  let aborter = new AbortController();
  const posts = new PostQueue(
    ctx.fetch,
    () => `${base}?${sessionQuery(ctx.project, ctx.token, { connId })}`,
    (error) => endLink({ code: 1006, reason: error.code, error }),
    () => secret,
  );

  function endLink(info: { code: number; reason: string; error?: WsdError }): void {
    if (closed || reportedClose) return;
    reportedClose = true;
    aborter.abort();
    posts.close();
    ctx.handlers.onClose(info);
  }

  // One GET; resolves with its messages. Rejects with a WsdError (status set if refused).
  async function get(url: string): Promise<Message[]> {
    let res: Response;
    try {
      res = await ctx.fetch(url, { signal: aborter.signal, headers: secretHeaders({ accept: 'application/json' }, secret) });
    } catch (cause) {
      throw networkError('poll GET failed', cause);
    }
    if (res.status !== 200) throw await errorFromResponse(res, 'transport_failed');
    let body: unknown;
    try {
      body = await res.json();
    } catch (cause) {
      throw networkError('poll answer unreadable', cause);
    }
    if (!Array.isArray(body)) throw new WsdError('unexpected_response', 'GET /poll did not answer an array', { body });
    return body.filter((m): m is Message => !!m && typeof m === 'object' && typeof (m as Message).type === 'string');
  }

  // Delivers messages; false once the session ended (`closed`).
  function deliver(messages: Message[]): boolean {
    ctx.handlers.onActivity();
    for (const m of messages) {
      if (closed || reportedClose) return false;
      if (m.type === 'connected' && typeof m.connId === 'string') {
        connId = m.connId;
        secret = typeof m.secret === 'string' ? m.secret : undefined;
      }
      ctx.handlers.onMessage(m);
      if (m.type === 'closed') {
        endLink({ code: typeof m.code === 'number' ? m.code : 1000, reason: String(m.reason ?? '') });
        return false;
      }
    }
    return true;
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!closed && !reportedClose) {
      try {
        const messages = await get(`${base}?${sessionQuery(ctx.project, ctx.token, { connId })}`);
        failures = 0;
        if (!deliver(messages)) return;
      } catch (error) {
        if (closed || reportedClose) return;
        const e = error as WsdError;
        if (e.status !== undefined || ++failures > ctx.pollRetries) {
          endLink({ code: 1006, reason: e.status !== undefined ? e.code : 'poll_failed', error: e });
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  return {
    name: 'poll',
    async open() {
      const first = await get(`${base}?${sessionQuery(ctx.project, ctx.token, { mode: ctx.mode })}`);
      if (!first.some((m) => m.type === 'connected')) {
        throw new WsdError('unexpected_response', 'the first GET /poll did not answer `connected`', { body: first });
      }
      // Deliver after open() resolves, as the other transports do.
      queueMicrotask(() => {
        if (deliver(first)) void loop();
      });
    },
    send: (text: string) => {
      if (connId === undefined) return Promise.reject(new WsdError('transport_failed', 'no polling session yet'));
      return posts.send(text);
    },
    close() {
      closed = true;
      aborter.abort();
      aborter = new AbortController();
      posts.close();
    },
  };
}
