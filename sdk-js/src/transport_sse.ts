// SSE: GET /sse?project&token&mode is a text/event-stream of `id: <connId>:<seq>` and
// `data: <json>` events; client messages are POST /sse?project&token&connId with the
// session's secret (from `connected`) in the Wsd-Session-Secret header.
//
// A stream that drops is resumed with Last-Event-ID, so the session (and every message
// after the last one seen) comes back, if that happens within `sseResumeMs` (below the
// server's --sse-resume-window). EventSource does that by itself (browsers); the fetch
// stream (Node, or useEventSource: false) does it here. Past that time the link counts
// as lost. A resume that reached the server too late gets a new session: its `connected`
// carries a new connId, which the client takes as a new session (see client.ts).
import { eventSourceConstructor } from './env.js';
import { WsdError, errorFromResponse } from './errors.js';
import { networkError, PostQueue, secretHeaders, sessionQuery, type Transport, type TransportContext } from './transport.js';

/** One parsed server-sent event. */
export interface SseEvent {
  id?: string;
  data: string;
  event?: string;
}

/**
 * Parses a text/event-stream incrementally (the WHATWG algorithm: fields id, data, event,
 * retry; comment lines start with ':'). Feed it text as it arrives.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private id: string | undefined;
  private event: string | undefined;
  /** The last `retry:` value, in ms. */
  retryMs: number | undefined;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onComment: (text: string) => void = () => undefined,
  ) {}

  push(chunk: string): void {
    this.buffer += chunk;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      // A lone '\r' at the end may be the first half of '\r\n': wait for more.
      if (m[0] === '\r' && m.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        const ev: SseEvent = { data: this.data.join('\n') };
        if (this.id !== undefined) ev.id = this.id;
        if (this.event !== undefined) ev.event = this.event;
        this.onEvent(ev);
      }
      this.data = [];
      this.event = undefined;
      return;
    }
    if (line.startsWith(':')) {
      this.onComment(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data': this.data.push(value); break;
      case 'id': if (!value.includes('\0')) this.id = value; break;
      case 'event': this.event = value; break;
      case 'retry': if (/^\d+$/.test(value)) this.retryMs = Number(value); break;
      default: break;
    }
  }
}

export function createSseTransport(ctx: TransportContext): Transport {
  const streamUrl = `${ctx.endpoints.http}/sse?${sessionQuery(ctx.project, ctx.token, { mode: ctx.mode })}`;
  let connId: string | undefined;
  let secret: string | undefined;
  let closed = false;
  let reportedClose = false;
  const posts = new PostQueue(
    ctx.fetch,
    () => `${ctx.endpoints.http}/sse?${sessionQuery(ctx.project, ctx.token, { connId })}`,
    (error) => endLink({ code: 1006, reason: error.code, error }),
    () => secret,
  );
  let stopStream: () => void = () => undefined;

  function endLink(info: { code: number; reason: string; error?: WsdError }): void {
    if (closed || reportedClose) return;
    reportedClose = true;
    stopStream();
    posts.close();
    ctx.handlers.onClose(info);
  }

  // One event's data: a server message. `closed` ends the session on the server's side.
  function deliver(data: string): void {
    ctx.handlers.onActivity();
    let message: { type?: unknown; connId?: unknown; secret?: unknown; code?: unknown; reason?: unknown };
    try {
      message = JSON.parse(data) as typeof message;
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    if (message.type === 'connected' && typeof message.connId === 'string') {
      connId = message.connId;
      secret = typeof message.secret === 'string' ? message.secret : undefined;
    }
    ctx.handlers.onMessage(message as { type: string });
    if (message.type === 'closed') {
      endLink({ code: typeof message.code === 'number' ? message.code : 1000, reason: String(message.reason ?? '') });
    }
  }

  const ES = ctx.useEventSource === false ? undefined : eventSourceConstructor(ctx.EventSource);

  // ---- EventSource (browsers) ----------------------------------------------------------
  function openEventSource(Ctor: NonNullable<typeof ES>): Promise<void> {
    return new Promise((resolve, reject) => {
      // With credentials, so the wsd_conn cookie (the session's secret) travels with the
      // stream's automatic reconnect: that is what lets it resume the same session.
      const es = new Ctor(streamUrl, { withCredentials: true });
      let opened = false;
      let resumeTimer: ReturnType<typeof setTimeout> | undefined;
      stopStream = () => {
        if (resumeTimer !== undefined) clearTimeout(resumeTimer);
        es.onopen = es.onmessage = es.onerror = null;
        es.close();
      };
      es.onopen = () => {
        ctx.handlers.onActivity();
        if (resumeTimer !== undefined) clearTimeout(resumeTimer);
        resumeTimer = undefined;
        if (!opened) {
          opened = true;
          resolve();
        }
      };
      es.onmessage = (event: MessageEvent) => deliver(String(event.data));
      es.onerror = () => {
        if (!opened) {
          stopStream();
          // EventSource hides why (a refusal's status included); polling will tell.
          reject(new WsdError('transport_failed', `EventSource to ${ctx.endpoints.http}/sse failed`));
          return;
        }
        if (es.readyState === 2 /* CLOSED */) {
          endLink({ code: 1006, reason: 'stream_failed', error: new WsdError('transport_failed', 'the SSE stream failed') });
          return;
        }
        // CONNECTING: EventSource retries with Last-Event-ID; give it sseResumeMs.
        resumeTimer ??= setTimeout(() => {
          endLink({ code: 1006, reason: 'stream_lost', error: new WsdError('transport_failed', 'the SSE stream did not resume in time') });
        }, ctx.sseResumeMs);
      };
    });
  }

  // ---- fetch stream (Node, or by choice) -------------------------------------------------
  function openFetchStream(): Promise<void> {
    let lastEventId: string | undefined;
    let aborter: AbortController | undefined;
    let retryMs = 1000;
    stopStream = () => aborter?.abort();

    // One GET: resolves when the stream is open, then reads it until it ends; `onEnd` is
    // called once it ends without close(). Rejects when there is no stream.
    async function connect(onEnd: () => void): Promise<void> {
      aborter = new AbortController();
      // A resume proves the session is this client's with its secret.
      const headers = secretHeaders({ accept: 'text/event-stream' }, lastEventId === undefined ? undefined : secret);
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      let res: Response;
      try {
        res = await ctx.fetch(streamUrl, { headers, signal: aborter.signal });
      } catch (cause) {
        throw networkError('SSE stream failed', cause);
      }
      if (res.status !== 200 || !res.body) throw await errorFromResponse(res, 'transport_failed');
      ctx.handlers.onActivity();
      const parser = new SseParser(
        (ev) => {
          if (ev.id !== undefined) lastEventId = ev.id;
          deliver(ev.data);
        },
        () => ctx.handlers.onActivity(),
      );
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.push(value);
            if (parser.retryMs !== undefined) retryMs = parser.retryMs;
          }
        } catch {
          /* dropped: resume below */
        }
        if (!closed && !reportedClose) onEnd();
      })();
    }

    // The stream dropped: resume with Last-Event-ID until sseResumeMs has passed.
    async function resume(): Promise<void> {
      const deadline = Date.now() + ctx.sseResumeMs;
      let wait = Math.min(retryMs, 250);
      while (!closed && !reportedClose) {
        try {
          await connect(() => void resume());
          return;
        } catch (error) {
          const e = error as WsdError;
          if (e.status !== undefined) {
            endLink({ code: 1006, reason: e.code, error: e });  // refused: the session is gone
            return;
          }
          if (Date.now() + wait > deadline) {
            endLink({ code: 1006, reason: 'stream_lost', error: e });
            return;
          }
          await new Promise((r) => setTimeout(r, wait));
          wait = Math.min(wait * 2, retryMs);
        }
      }
    }

    return connect(() => void resume());
  }

  return {
    name: 'sse',
    open: () => (ES ? openEventSource(ES) : openFetchStream()),
    send: (text: string) => {
      if (connId === undefined) return Promise.reject(new WsdError('transport_failed', 'no SSE session yet'));
      return posts.send(text);
    },
    close() {
      closed = true;
      stopStream();
      posts.close();
    },
  };
}
