// The interface the three transports implement (transport_ws.ts, transport_sse.ts,
// transport_poll.ts), and what they share: endpoint URLs and the POST that carries a
// client message for SSE and polling.
import { WsdError, errorFromResponse } from './errors.js';
import type { Mode, TransportName, WebSocketConstructor, EventSourceConstructor } from './types.js';

/** How a transport's link ended. */
export interface CloseInfo {
  /** Close code: the WebSocket's, the `closed` message's, or 1006 for a dropped link. */
  code: number;
  reason: string;
  /** The error behind it, when there is one (a refusal, a network failure). */
  error?: WsdError;
}

/** What a transport reports to its owner. Called on the transport's own schedule. */
export interface TransportHandlers {
  /** One server message, parsed (anything with a string `type`). */
  onMessage(message: { type: string; [k: string]: unknown }): void;
  /** Something arrived (a message, a keepalive, an empty poll): the link is alive. */
  onActivity(): void;
  /** The link ended on its own (not by close()); called once, never after close(). */
  onClose(info: CloseInfo): void;
}

/** Everything a transport needs to open. */
export interface TransportContext {
  endpoints: Endpoints;
  project: string;
  token: string;
  mode: Mode;
  handlers: TransportHandlers;
  fetch: typeof fetch;
  WebSocket?: WebSocketConstructor;
  EventSource?: EventSourceConstructor;
  useEventSource?: boolean;
  sseResumeMs: number;
  pollRetries: number;
}

/** One link to wsd. */
export interface Transport {
  readonly name: TransportName;
  /**
   * Opens the link. Resolves once it is established (the server's `connected` comes through
   * onMessage, possibly before this resolves). Rejects with a WsdError: a refusal carries
   * the HTTP status and code; a failure the transport cannot explain has `transport_failed`.
   */
  open(): Promise<void>;
  /**
   * Sends one client message (JSON text). Resolves once the server has it (WebSocket: handed
   * to the socket; SSE and polling: POST answered 200). Rejects with a WsdError: an HTTP
   * refusal of the message (413, 429, 400...) or `transport_failed` (the link is in doubt).
   */
  send(text: string): Promise<void>;
  /** Ends the link. No handler is called afterwards. */
  close(code?: number, reason?: string): void;
}

/** Builds a transport. */
export type TransportFactory = (context: TransportContext) => Transport;

/** The URLs of one server. */
export interface Endpoints {
  /** http(s)://host[:port][/prefix], no trailing slash. */
  http: string;
  /** ws(s)://host[:port][/prefix], no trailing slash. */
  ws: string;
}

/** Accepts http(s):// or ws(s):// base URLs, with or without a path prefix. */
export function endpoints(url: string): Endpoints {
  let u: URL;
  try {
    u = new URL(url);
  } catch (cause) {
    throw new WsdError('bad_request', `not a URL: ${url}`, { cause });
  }
  const proto = u.protocol;
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(proto)) {
    throw new WsdError('bad_request', `url must be http(s):// or ws(s)://, not ${proto}`);
  }
  const secure = proto === 'https:' || proto === 'wss:';
  let path = u.pathname.replace(/\/+$/, '');
  // A URL that already names an endpoint (…/ws, …/sse, …/poll) stands for its prefix.
  path = path.replace(/\/(ws|sse|poll)$/, '');
  const rest = `//${u.host}${path}`;
  return { http: `${secure ? 'https:' : 'http:'}${rest}`, ws: `${secure ? 'wss:' : 'ws:'}${rest}` };
}

/** The query string that opens or names a session. */
export function sessionQuery(project: string, token: string, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams({ project, token });
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) q.set(k, v);
  return q.toString();
}

/** A network failure (no HTTP answer) as a WsdError. */
export function networkError(what: string, cause: unknown): WsdError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new WsdError('transport_failed', `${what}: ${detail}`, { cause });
}

/**
 * POSTs client messages for SSE and polling, one at a time and in order (so the server
 * handles them in the order sent; see requests.ts). Rejects as Transport.send says.
 * `onGone` is told when the server no longer knows the session (404 unknown_conn).
 */
/** `headers` plus the header that proves a request comes from the session's client. */
export function secretHeaders(headers: Record<string, string>, secret: string | undefined): Record<string, string> {
  return secret === undefined ? headers : { ...headers, 'wsd-session-secret': secret };
}

export class PostQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly aborter = new AbortController();

  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly url: () => string,
    private readonly onGone: (error: WsdError) => void,
    // The session's secret (from `connected`): it proves each POST is this client's.
    private readonly secret: () => string | undefined,
  ) {}

  send(text: string): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.closed) throw new WsdError('transport_failed', 'the transport is closed');
      let res: Response;
      try {
        res = await this.fetchFn(this.url(), {
          method: 'POST',
          headers: secretHeaders({ 'content-type': 'application/json' }, this.secret()),
          body: text,
          signal: this.aborter.signal,
        });
      } catch (cause) {
        throw networkError('POST failed', cause);
      }
      if (res.status === 200) {
        await res.body?.cancel().catch(() => undefined);
        return;
      }
      const error = await errorFromResponse(res);
      if (error.code === 'unknown_conn' || error.status === 401 || error.status === 404) this.onGone(error);
      throw error;
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.closed = true;
    this.aborter.abort();
  }
}
