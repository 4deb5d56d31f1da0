// The server API (docs/server-api.md): an app backend's calls on its project, with the
// project's server secret (or the admin token) as a bearer token. For backends only:
// never ship the secret to a browser.
import { fetchFunction } from './env.js';
import { WsdError, errorFromResponse } from './errors.js';
import { endpoints, networkError, type Endpoints } from './transport.js';

/** Options of ServerApi. */
export interface ServerApiOptions {
  /** The server's base URL (http(s):// or ws(s)://). */
  url: string;
  /** The project the calls act on. */
  project: string;
  /** One of the project's server secrets (POST /project/secret), or the admin token. */
  secret: string;
  /** fetch. Default: the global one. */
  fetch?: typeof fetch;
}

/** Options of the message calls. */
export interface ServerSendOptions {
  /** The sender the recipients see. Default (the server's): "@server". */
  from?: string;
}

/** POST /api/send: `offline` true when the uid had no connection and the message was stored. */
export interface ServerSendResult {
  id: string;
  to: string;
  offline: boolean;
}

/** POST /api/multicast: each distinct recipient in one list (`failed`: its offline inbox is full). */
export interface ServerMulticastResult {
  id: string;
  delivered: string[];
  stored: string[];
  failed: string[];
}

/** What POST /api/kick closes: every connection of a uid, or one connection (its connId). */
export type KickTarget = { uid: string; conn?: never } | { conn: string; uid?: never };

/** The close code of a kicked connection. */
export const KICK_CLOSE_CODE = 4001;

/**
 * The server API. Every call resolves once its event is applied (so it answers in the
 * log's order), and rejects with a WsdError carrying the server's code and HTTP status:
 * `unauthorized` (401), `project_not_found` (404), `bad_request` / `invalid_json` /
 * `too_many_recipients` (400), `inbox_full` (409), `message_too_big` (413),
 * `log_unavailable` (503).
 */
export class ServerApi {
  private readonly ends: Endpoints;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ServerApiOptions) {
    this.ends = endpoints(options.url);
    this.fetchFn = fetchFunction(options.fetch);
  }

  /** One message to one uid: delivered live, or stored for its next bind. */
  async send(to: string, msg: unknown, options: ServerSendOptions = {}): Promise<ServerSendResult> {
    const body = await this.call<ServerSendResult>('POST', 'send', { to, msg, ...from(options) });
    return { id: body.id, to: body.to, offline: body.offline };
  }

  /** One message to several uids (at most the server's --max-multicast). */
  async multicast(to: string[], msg: unknown, options: ServerSendOptions = {}): Promise<ServerMulticastResult> {
    const body = await this.call<ServerMulticastResult>('POST', 'multicast', { to, msg, ...from(options) });
    return { id: body.id, delivered: body.delivered, stored: body.stored, failed: body.failed };
  }

  /** One message to every connection of the project; resolves with its id. */
  async broadcast(msg: unknown, options: ServerSendOptions = {}): Promise<{ id: string }> {
    const body = await this.call<{ id: string }>('POST', 'broadcast', { msg, ...from(options) });
    return { id: body.id };
  }

  /**
   * Closes every connection of a uid, or one connection, on every gateway (WebSocket close
   * 4001 with `reason`, default "kicked"; printable ASCII, at most 100 characters).
   * Resolves with the connIds ordered to close (empty when none matched).
   */
  async kick(target: KickTarget, reason?: string): Promise<string[]> {
    const body = await this.call<{ closed: string[] }>('POST', 'kick', reason === undefined ? target : { ...target, reason });
    return body.closed;
  }

  /** Whether the uid has a bound connection. */
  async online(uid: string): Promise<boolean> {
    return (await this.call<{ online: boolean }>('GET', 'online', undefined, { uid })).online;
  }

  /** The project's online uids, sorted. */
  async list(): Promise<string[]> {
    return (await this.call<{ uids: string[] }>('GET', 'list')).uids;
  }

  /** The uids in a room, sorted (empty when no one is in it). */
  async roomMembers(roomId: string): Promise<string[]> {
    return (await this.call<{ members: string[] }>('GET', 'room', undefined, { roomId })).members;
  }

  private async call<T>(method: 'GET' | 'POST', name: string, body?: unknown, query: Record<string, string> = {}): Promise<T> {
    const url = `${this.ends.http}/api/${name}?${new URLSearchParams({ project: this.options.project, ...query })}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.secret}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchFn(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (cause) {
      throw networkError(`${method} /api/${name} failed`, cause);
    }
    if (res.status !== 200) throw await errorFromResponse(res);
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new WsdError('unexpected_response', `${method} /api/${name}: the answer is not JSON`, { cause, body: text });
    }
  }
}

function from(options: ServerSendOptions): { from?: string } {
  return options.from === undefined ? {} : { from: options.from };
}
