// WsdClient: one logical connection to wsd over whichever transport works, kept up across
// drops. What it owns, and how the parts fit:
//
//   calls ──▶ queue (while no session is ready) ──▶ transmit ──▶ transport (ws | sse | poll)
//                                                      │                 │
//                                    ReplyMatcher ◀────┘   messages ◀────┘ ──▶ events
//
// - run() is the only loop: establish a session (transports in order: the one that last
//   worked first, then the others), wait until its link drops, back off, again.
// - A session is ready once bound (the last uid bound, or options.uid) and back in its
//   rooms; then the queue is flushed in order, and new calls go straight out.
// - Calls unanswered when a link drops follow `resendInFlight` (see types.ts).
// - A token function is asked for a token before each pass over the transports, and at once
//   (no backoff) when the server says the token expired, once in a row.
// Everything runs on the JavaScript event loop; no call blocks.
import { backoffDelay, backoffPolicy, type BackoffPolicy } from './backoff.js';
import { isRetryableClose, isRetryableCode } from './codes.js';
import { Emitter } from './emitter.js';
import { fetchFunction } from './env.js';
import { WsdError } from './errors.js';
import { MailClient } from './mail.js';
import type { ClientMessage, ServerMessage, ServerMessageMap } from './protocol.js';
import { expectsAnswer, isSignal, ReplyMatcher, type PendingRequest } from './requests.js';
import { RoomPositions } from './room_positions.js';
import { endpoints, type CloseInfo, type Endpoints, type Transport, type TransportFactory } from './transport.js';
import { createPollTransport } from './transport_poll.js';
import { createSseTransport } from './transport_sse.js';
import { createWsTransport } from './transport_ws.js';
import type {
  AckMode,
  BindSignature,
  BroadcastResult,
  FilterKind,
  ClientEvents,
  ClientOptions,
  ClientState,
  HeartbeatOptions,
  JoinRoomOptions,
  MailRequest,
  MailResult,
  MessageContext,
  MulticastResult,
  QueueOverflowPolicy,
  RoomHistoryOptions,
  RoomHistoryPage,
  RoomInfo,
  RoomPosition,
  RoomRecoveryReason,
  RoomSendResult,
  SendResult,
  SendToRoomOptions,
  SessionInfo,
  TransportName,
} from './types.js';

/** The transports this SDK has, by name. */
export const TRANSPORTS: Readonly<Record<TransportName, TransportFactory>> = {
  ws: createWsTransport,
  sse: createSseTransport,
  poll: createPollTransport,
};

const DEFAULT_TRANSPORTS: TransportName[] = ['ws', 'sse', 'poll'];
const DEFAULT_HEARTBEAT: Required<HeartbeatOptions> = { intervalMs: 20000, timeoutMs: 10000 };
// Refusals that no retry can fix: the client closes.
const FATAL_REFUSALS = new Set(['invalid_token', 'token_expired', 'project_not_found', 'bad_request', 'unauthorized']);
// Calls sent again on the next session when their link dropped unanswered.
const IDEMPOTENT = new Set([
  'bind', 'list', 'online', 'room_create', 'room_join', 'room_leave', 'room_history', 'sub', 'unsub', 'lsunsub', 'ack',
]);
// Most ids one `ack` may carry (schemas/client/ack.json).
const ACK_MAX_IDS = 1000;
// Signals that succeeded leave no trace; this many are kept to attribute late errors.
const SIGNALS_KEPT = 256;

// One call of the API, from the moment it is made until it is settled.
interface Call {
  message: ClientMessage;
  text: string;
  resolve(answer: ServerMessage | undefined): void;
  reject(error: WsdError): void;
  settled: boolean;
  /** Internal calls (restoring a session, heartbeats) are dropped, not re-sent, on a drop. */
  internal?: boolean;
  /** True once sent again after a drop. */
  resent?: boolean;
  /** The answer's deadline (cleared when settled). */
  timer?: ReturnType<typeof setTimeout> | undefined;
}

// One session: a transport's link and what waits on it.
interface Session {
  name: TransportName;
  transport: Transport;
  connId?: string;
  matcher: ReplyMatcher;
  ready: boolean;
  lost: boolean;
  lastReceived: number;
  pingSentAt?: number | undefined;
  heartbeat?: ReturnType<typeof setTimeout>;
  connected: Promise<string>;
  onConnected(connId: string): void;
  closed: Promise<CloseInfo>;
  onClosed(info: CloseInfo): void;
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);  // a rejection nobody awaits is not an unhandled one
  return { promise, resolve, reject };
}

function timeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new WsdError('timeout', `${what} took longer than ${ms} ms`));
    }, ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

const errorOf = (message: ServerMessage & { type: 'error' }, request?: ClientMessage): WsdError =>
  new WsdError(message.code ?? 'unknown', message.msg, request ? { request } : {});

/** A client of one wsd project: see docs/sdk-js.md. */
export class WsdClient extends Emitter<ClientEvents> {
  private readonly opts: ClientOptions;
  private readonly ends: Endpoints;
  private readonly fetchFn: typeof fetch;
  private readonly policy: BackoffPolicy | undefined;
  private readonly heartbeat: Required<HeartbeatOptions> | undefined;
  private readonly queueMax: number;
  private readonly overflow: QueueOverflowPolicy;
  private readonly transportOrder: TransportName[];

  private _state: ClientState = 'idle';
  private session: Session | undefined;
  private queue: Call[] = [];
  private flushing = false;
  private boundUid: string | undefined;
  private readonly joined = new Set<string>();
  // The last position seen in each joined room: re-joins recover from there.
  private readonly positions = new RoomPositions();
  private bindSig: BindSignature | undefined;
  // The filter as the server last confirmed it; set again on every new session.
  private unsubscribed: FilterKind[] = [];
  private readonly ackMode: AckMode;
  private readonly dedupe: RecentIds;
  // The token the last session was opened with (from options.token or its function).
  private token: string | undefined;
  // True from a token_expired until a session opens: a second one in a row is final.
  private renewedExpiredToken = false;
  private acksToSend: string[] = [];
  private lastGood: TransportName | undefined;
  private running = false;
  private stopped = false;
  private wake: (() => void) | undefined;
  private waiters: Array<{ resolve(s: SessionInfo): void; reject(e: WsdError): void }> = [];

  constructor(options: ClientOptions) {
    super();
    if (!options || typeof options.url !== 'string') throw new TypeError('options.url is required');
    if (typeof options.project !== 'string' || options.project === '') throw new TypeError('options.project is required');
    if (typeof options.token !== 'function' && (typeof options.token !== 'string' || options.token === '')) {
      throw new TypeError('options.token is required (a string, or a function that gives one)');
    }
    this.opts = { ...options };
    this.ends = endpoints(options.url);
    this.fetchFn = fetchFunction(options.fetch);
    this.policy = options.reconnect === false ? undefined : backoffPolicy(options.reconnect ?? {});
    this.heartbeat = options.heartbeat === false ? undefined : { ...DEFAULT_HEARTBEAT, ...(options.heartbeat ?? {}) };
    this.queueMax = options.queue?.max ?? 1000;
    this.overflow = options.queue?.overflow ?? 'reject-new';
    if (!(this.queueMax >= 0)) throw new RangeError('queue.max must be >= 0');
    const transports = options.transports ?? DEFAULT_TRANSPORTS;
    if (transports.length === 0) throw new RangeError('options.transports is empty');
    for (const t of transports) if (!(t in TRANSPORTS)) throw new RangeError(`unknown transport '${t}'`);
    this.transportOrder = [...transports];
    this.bindSig = options.bindSignature;
    this.ackMode = options.ackMode ?? 'auto';
    this.dedupe = new RecentIds(options.dedupeWindow ?? 1000);
  }

  // ---- state ---------------------------------------------------------------------------

  /** Where the client is: idle, connecting, connected, reconnecting or closed. */
  get state(): ClientState {
    return this._state;
  }

  /** The current session's connId; undefined while no session is up. */
  get connId(): string | undefined {
    return this.session?.ready ? this.session.connId : undefined;
  }

  /** The current session's transport; undefined while no session is up. */
  get transport(): TransportName | undefined {
    return this.session?.ready ? this.session.name : undefined;
  }

  /** The uid this client is bound to (kept across reconnects); undefined before bind. */
  get uid(): string | undefined {
    return this.boundUid;
  }

  /** Rooms this client is in (re-joined after each reconnect). */
  get rooms(): ReadonlySet<string> {
    return this.joined;
  }

  /**
   * The last position this client saw in `roomId` (undefined when not in it). It is sent
   * as `since` on every re-join after a reconnect; an app may keep it to join from there
   * (joinRoom(roomId, { since })) in a later client.
   */
  roomPosition(roomId: string): RoomPosition | undefined {
    return this.positions.get(roomId);
  }

  /** Calls waiting in the outbound queue. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Starts connecting (if not yet) and resolves once a session is ready: bound if a uid is
   * known, rooms re-joined. Rejects if the client closes first (close(), a refusal such as
   * invalid_token, or reconnect.maxAttempts failed attempts).
   */
  connect(): Promise<SessionInfo> {
    if (this._state === 'closed') return Promise.reject(new WsdError('client_closed', 'the client is closed'));
    const s = this.session;
    if (s?.ready && s.connId) return Promise.resolve({ connId: s.connId, transport: s.name });
    const d = deferred<SessionInfo>();
    this.waiters.push({ resolve: d.resolve, reject: d.reject });
    if (!this.running) {
      this.running = true;
      this.setState('connecting');
      void this.run();
    }
    return d.promise;
  }

  /** Closes the link and the client for good; every waiting call rejects with `client_closed`. */
  async close(): Promise<void> {
    if (this._state === 'closed') return;
    this.finish(new WsdError('client_closed', 'close() was called'), true);
  }

  // ---- the API -------------------------------------------------------------------------

  /**
   * Binds this connection to `uid`. Resolves with bind_success; stored offline messages
   * follow as `direct` events with `offline: true`. The uid is bound again after reconnects,
   * with the same `signature` (made by the app's backend; needed when the project requires
   * signed binds, so give one whose `exp` outlives the session).
   */
  bind(uid: string, signature?: BindSignature): Promise<ServerMessageMap['bind_success']> {
    const message = signature ? { type: 'bind' as const, uid, exp: signature.exp, sig: signature.sig } : { type: 'bind' as const, uid };
    return this.call(message, (a) => a as ServerMessageMap['bind_success']);
  }

  /**
   * Stops these kinds of notices on this connection (kept across reconnects). Resolves with
   * every kind now stopped, sorted.
   */
  unsub(events: FilterKind[]): Promise<FilterKind[]> {
    return this.call({ type: 'unsub', events }, (a) => (a as { events: FilterKind[] }).events);
  }

  /** Receives these kinds of notices again. Resolves with every kind still stopped, sorted. */
  sub(events: FilterKind[]): Promise<FilterKind[]> {
    return this.call({ type: 'sub', events }, (a) => (a as { events: FilterKind[] }).events);
  }

  /** The kinds of notices this connection is unsubscribed from, as the server holds them. */
  listUnsubscribed(): Promise<FilterKind[]> {
    return this.call({ type: 'lsunsub' }, (a) => (a as { events: FilterKind[] }).events);
  }

  /**
   * Acknowledges messages by id (the `id` of each `direct`). Resolves with the ids that were
   * stored and are now removed. With ackMode 'auto' (the default) stored messages are
   * acknowledged for you.
   */
  ack(ids: string[]): Promise<string[]> {
    return this.call({ type: 'ack', ids }, (a) => (a as { ids: string[] }).ids);
  }

  /** One-to-one message; resolves once delivered live or stored for an offline recipient. */
  send(to: string, msg: unknown): Promise<SendResult> {
    return this.call({ type: 'send', to, msg }, (a) => {
      const r = a as { to: string; offline?: boolean; id?: string };
      const out: SendResult = { to: r.to, offline: r.offline === true };
      if (r.id !== undefined) out.id = r.id;
      return out;
    });
  }

  /** Message to several uids (duplicates ignored). */
  multicast(to: string[], msg: unknown): Promise<MulticastResult> {
    return this.call({ type: 'multicast', to, msg }, (a) => {
      const r = a as { to: string[]; offline?: string[]; failed?: string[]; id?: string };
      const out: MulticastResult = { to: r.to, offline: r.offline ?? [], failed: r.failed ?? [] };
      if (r.id !== undefined) out.id = r.id;
      return out;
    });
  }

  /** Message to every connection of the project; resolves when this client gets its copy. */
  broadcast(msg: unknown): Promise<BroadcastResult> {
    return this.call({ type: 'broadcast', msg }, (a) => {
      const r = a as { id?: string; timestamp: number };
      const out: BroadcastResult = { timestamp: r.timestamp };
      if (r.id !== undefined) out.id = r.id;
      return out;
    });
  }

  /** The project's online uids, sorted. */
  list(): Promise<string[]> {
    return this.call({ type: 'list' }, (a) => (a as { uids: string[] }).uids);
  }

  /** Whether `uid` is online. */
  online(uid: string): Promise<boolean> {
    return this.call({ type: 'online', uid }, (a) => (a as { online: boolean }).online);
  }

  /**
   * Creates the room if needed and joins it. With `since`, the messages missed since that
   * position follow the reply as `room_message` events (see RoomInfo.recovered).
   */
  createRoom(roomId: string, options: JoinRoomOptions = {}): Promise<RoomInfo> {
    return this.call(withSince({ type: 'room_create', roomId }, options.since), (a) => roomInfo(a));
  }

  /** Joins the room, creating it if needed; `since` as for createRoom. */
  joinRoom(roomId: string, options: JoinRoomOptions = {}): Promise<RoomInfo> {
    return this.call(withSince({ type: 'room_join', roomId }, options.since), (a) => roomInfo(a));
  }

  /**
   * A message to every member session of the room (this one only with `echo`), kept in
   * the room's history. Resolves with its place in the room's stream. Members only
   * (`not_in_room`).
   */
  sendToRoom(roomId: string, msg: unknown, options: SendToRoomOptions = {}): Promise<RoomSendResult> {
    const message = options.echo === undefined ? { type: 'room_send' as const, roomId, msg } : { type: 'room_send' as const, roomId, msg, echo: options.echo };
    return this.call(message, (a) => {
      const r = a as ServerMessageMap['room_send_success'];
      return { offset: r.offset, epoch: r.epoch, id: r.id };
    });
  }

  /**
   * A page of the room's retained messages, ascending by offset: the newest, the oldest
   * after `since` (`epoch_changed` if its epoch is not the room's), or the newest below
   * `before`. Members only (`not_in_room`).
   */
  roomHistory(roomId: string, options: RoomHistoryOptions = {}): Promise<RoomHistoryPage> {
    const message = {
      type: 'room_history' as const,
      roomId,
      ...(options.since !== undefined ? { since: { offset: options.since.offset, epoch: options.since.epoch } } : {}),
      ...(options.before !== undefined ? { before: options.before } : {}),
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    };
    return this.call(message, (a) => {
      const r = a as ServerMessageMap['room_history'];
      return { messages: r.messages, hasMore: r.hasMore, epoch: r.epoch, offset: r.offset };
    });
  }

  /** Leaves the room (and forgets its position). */
  leaveRoom(roomId: string): Promise<void> {
    return this.call({ type: 'room_leave', roomId }, () => undefined);
  }

  /**
   * Relays a WebRTC offer to `to` in `roomId`. Signals have no answer when they succeed:
   * this resolves once the server has the message; a later `not_in_room` or
   * `target_not_in_room` comes as an `error` event whose context names this request.
   */
  sendOffer(roomId: string, to: string, sdp: object): Promise<void> {
    return this.call({ type: 'webrtc_offer', roomId, to, sdp: sdp as Record<string, unknown> }, () => undefined);
  }

  /** Relays a WebRTC answer; see sendOffer. */
  sendAnswer(roomId: string, to: string, sdp: object): Promise<void> {
    return this.call({ type: 'webrtc_answer', roomId, to, sdp: sdp as Record<string, unknown> }, () => undefined);
  }

  /** Relays an ICE candidate (null: end of candidates); see sendOffer. */
  sendIce(roomId: string, to: string, candidate: object | null): Promise<void> {
    return this.call(
      { type: 'webrtc_ice', roomId, to, candidate: candidate as Record<string, unknown> | null },
      () => undefined,
    );
  }

  /** Round trip to the server (a wsd `ping`); resolves with the time taken, in ms. */
  async ping(): Promise<number> {
    let sentAt = 0;
    await this.call({ type: 'ping' }, () => undefined, () => (sentAt = Date.now()));
    return Date.now() - sentAt;
  }

  /**
   * Sends any message as is (extensions). Not matched with answers: resolves once sent;
   * answers come as events. Queued like every call while no session is ready.
   */
  sendRaw(message: { type: string; [k: string]: unknown }): Promise<void> {
    return this.call(message as ClientMessage, () => undefined, undefined, true);
  }

  /** POST /mail with this client's project and token. */
  sendMail(mail: MailRequest): Promise<MailResult> {
    const token = this.token !== undefined ? Promise.resolve(this.token) : this.fetchToken();
    return token.then((t) => new MailClient({ url: this.opts.url, project: this.opts.project, token: t, fetch: this.fetchFn }).send(mail));
  }

  // ---- calls: queue, transmit, answers ---------------------------------------------------

  private call<T>(
    message: ClientMessage,
    map: (answer: ServerMessage | undefined) => T,
    onSent?: () => void,
    raw = false,
  ): Promise<T> {
    if (this._state === 'closed') return Promise.reject(new WsdError('client_closed', 'the client is closed'));
    return new Promise<T>((resolve, reject) => {
      const call: Call = {
        message,
        text: JSON.stringify(message),
        settled: false,
        resolve: (answer) => {
          try {
            resolve(map(answer));
          } catch (e) {
            reject(e);
          }
        },
        reject,
      };
      if (raw) (call as Call & { raw?: boolean }).raw = true;
      if (onSent) (call as Call & { onSent?: () => void }).onSent = onSent;
      const s = this.session;
      if (s?.ready && !s.lost && this.queue.length === 0 && !this.flushing) void this.transmit(call, s);
      else this.enqueue(call);
      if (this._state === 'idle') void this.connect().catch(() => undefined);
    });
  }

  private enqueue(call: Call): void {
    if (this.queue.length >= this.queueMax) {
      const full = new WsdError('queue_full', `the outbound queue holds ${this.queueMax} calls`, { request: call.message });
      if (this.overflow === 'reject-new' || this.queueMax === 0) {
        settle(call, full);
        return;
      }
      const oldest = this.queue.shift();
      if (oldest) settle(oldest, new WsdError('queue_full', full.message, { request: oldest.message }));
    }
    this.queue.push(call);
  }

  // Sends one call on `session`; resolves once the transport took it (or failed).
  private async transmit(call: Call, session: Session): Promise<void> {
    if (call.settled) return;
    const message = call.message;
    const raw = (call as Call & { raw?: boolean }).raw === true;
    const answered = !raw && expectsAnswer(message);
    const signal = !raw && isSignal(message);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const request: PendingRequest & { call: Call } = {
      message,
      call,
      settled: false,
      resolve: (answer) => {
        if (timer !== undefined) clearTimeout(timer);
        settle(call, undefined, answer);
      },
      reject: (error) => {
        if (timer !== undefined) clearTimeout(timer);
        // A signal's error may even overtake the POST's 200; either way it is an `error`
        // event only, and the call resolves once the server has the message.
        if (signal) return;
        // A room_leave sent again after a drop: "not in room" means it is done.
        if (call.resent && message.type === 'room_leave' && error.code === 'not_in_room') settle(call, undefined, undefined);
        else settle(call, errorOf(error, message));
      },
    };
    // Before sending: on SSE and polling the answer may arrive before the POST's 200.
    if (answered) session.matcher.add(request);
    if (answered && !signal && !call.internal) {
      const ms = this.opts.requestTimeoutMs ?? 15000;
      call.timer = timer = setTimeout(() => {
        if (request.settled) return;
        request.settled = true;  // stays in the matcher to absorb a late answer
        settle(call, new WsdError('timeout', `no answer to ${message.type} within ${ms} ms`, { request: message }));
      }, ms);
    }
    (call as Call & { onSent?: () => void }).onSent?.();
    try {
      await session.transport.send(call.text);
    } catch (error) {
      if (timer !== undefined) clearTimeout(timer);
      session.matcher.remove(request);
      const e = error as WsdError;
      if (signal && request.settled) {
        settle(call, undefined, undefined);  // the server had it: its error came back
      } else if (e.code === 'transport_failed' || e.code === 'unknown_conn' || session.lost) {
        // The link is in doubt: this call is in flight on a lost link.
        this.inFlight([request]);
        this.linkLost(session, { code: 1006, reason: 'send_failed', error: e });
      } else {
        // The server refused this message (413, 429, 400...).
        request.settled = true;
        settle(call, new WsdError(e.code, e.message, { status: e.status, request: message, body: e.body }));
      }
      return;
    }
    if (signal) {
      request.settled = true;  // stays in the matcher to take a possible error
      settle(call, undefined, undefined);
      session.matcher.pruneSignals(SIGNALS_KEPT);
    } else if (!answered) {
      settle(call, undefined, undefined);
    }
  }

  // Sends the queue, in order, while the session stays ready.
  private async flush(session: Session): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0 && this.session === session && session.ready && !session.lost) {
        const call = this.queue.shift()!;
        await this.transmit(call, session);
      }
    } finally {
      this.flushing = false;
    }
    // Calls made while the last transmit was finishing.
    if (this.queue.length > 0 && this.session === session && session.ready && !session.lost) void this.flush(session);
  }

  // Calls whose link dropped before their answer: sent again, or rejected (resendInFlight).
  private inFlight(requests: PendingRequest[]): void {
    const again: Call[] = [];
    for (const r of requests) {
      const call = (r as PendingRequest & { call?: Call }).call;
      if (!call || call.settled || r.settled) continue;
      if (call.internal) {
        settle(call, new WsdError('connection_lost', 'the link dropped', { request: call.message }));
      } else if (IDEMPOTENT.has(call.message.type) || this.opts.resendInFlight === true) {
        call.resent = true;
        again.push(call);
      } else {
        settle(
          call,
          new WsdError('connection_lost', `the link dropped before ${call.message.type} was answered; it may or may not have happened`, {
            request: call.message,
          }),
        );
      }
    }
    this.queue = [...again, ...this.queue];
  }

  // ---- sessions --------------------------------------------------------------------------

  private async run(): Promise<void> {
    let failures = 0;  // failed passes over the transports since the start or the last session
    let lastError: WsdError | undefined;
    while (!this.stopped) {
      let session: Session | undefined;
      let renewToken = false;
      try {
        session = await this.establish((e) => (lastError = e));
      } catch (fatal) {
        renewToken = this.renewsToken((fatal as WsdError).code);
        if (!renewToken) {
          this.finish(fatal as WsdError);
          return;
        }
        lastError = fatal as WsdError;
      }
      if (this.stopped) return;
      if (session) {
        failures = 0;
        this.renewedExpiredToken = false;
        const info = await session.closed;
        if (this.stopped) return;
        lastError = info.error ?? new WsdError('connection_lost', `link closed (${info.code} ${info.reason})`, { closeCode: info.code });
        renewToken = this.renewsToken(info.reason);
        if (!renewToken && (!isRetryableClose(info.reason) || (info.error && FATAL_REFUSALS.has(info.error.code)))) {
          this.finish(new WsdError(info.error?.code ?? info.reason, info.error?.message ?? `closed by the server: ${info.reason}`, { closeCode: info.code }));
          return;
        }
      } else if (!renewToken) {
        failures++;
      }
      if (renewToken) {
        // The token function gives a new token on the next pass, which starts now.
        this.renewedExpiredToken = true;
        this.setState('reconnecting', lastError);
        this.emit('reconnecting', { attempt: 1, delayMs: 0, ...(lastError ? { error: lastError } : {}) });
        continue;
      }
      if (!this.policy || failures >= this.policy.maxAttempts) {
        this.finish(lastError ?? new WsdError('transport_failed', 'could not connect'));
        return;
      }
      const delayMs = backoffDelay(this.policy, failures + 1);
      this.setState('reconnecting', lastError);
      this.emit('reconnecting', { attempt: failures + 1, delayMs, ...(lastError ? { error: lastError } : {}) });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  // Whether the server's `code` (a refusal, or a close reason) is an expired token that the
  // token function may replace: not when the token it gave last time expired too.
  private renewsToken(code: string): boolean {
    return code === 'token_expired' && typeof this.opts.token === 'function' && !this.renewedExpiredToken && !this.stopped;
  }

  // A token from options.token: the string, or what its function gives now.
  private async fetchToken(): Promise<string> {
    const source = this.opts.token;
    if (typeof source === 'string') return source;
    let token: unknown;
    try {
      token = await source();
    } catch (error) {
      throw new WsdError('transport_failed', `the token function failed: ${String(error)}`, { cause: error });
    }
    if (typeof token !== 'string' || token === '') {
      throw new WsdError('transport_failed', `the token function gave ${JSON.stringify(token) ?? String(token)}, not a token`);
    }
    return token;
  }

  // Tries each transport once; a session, or undefined if none could be opened. Throws a
  // refusal that retrying cannot fix.
  private async establish(onError: (e: WsdError) => void): Promise<Session | undefined> {
    try {
      this.token = await this.fetchToken();
    } catch (error) {
      onError(error as WsdError);
      return undefined;
    }
    const order = this.lastGood
      ? [this.lastGood, ...this.transportOrder.filter((t) => t !== this.lastGood)]
      : this.transportOrder;
    for (const name of order) {
      if (this.stopped) return undefined;
      try {
        const session = await this.openSession(name);
        this.lastGood = name;
        return session;
      } catch (error) {
        const e = error instanceof WsdError ? error : new WsdError('transport_failed', String(error), { cause: error });
        if (this.stopped) return undefined;
        // A refusal of the handshake, or of the uid to bind, that no retry can change.
        if (FATAL_REFUSALS.has(e.code) || (e.request?.type === 'bind' && !isRetryableCode(e.code))) throw e;
        onError(e);
        this.emit('transport_failed', { transport: name, error: e });
      }
    }
    return undefined;
  }

  private async openSession(name: TransportName): Promise<Session> {
    const connected = deferred<string>();
    const closed = deferred<CloseInfo>();
    const session: Session = {
      name,
      transport: undefined as unknown as Transport,
      matcher: new ReplyMatcher(),
      ready: false,
      lost: false,
      lastReceived: Date.now(),
      connected: connected.promise,
      onConnected: connected.resolve,
      closed: closed.promise,
      onClosed: closed.resolve,
    };
    session.transport = TRANSPORTS[name]({
      endpoints: this.ends,
      project: this.opts.project,
      token: this.token!,
      mode: this.opts.mode ?? 'short',
      fetch: this.fetchFn,
      ...(this.opts.WebSocket ? { WebSocket: this.opts.WebSocket } : {}),
      ...(this.opts.EventSource ? { EventSource: this.opts.EventSource } : {}),
      ...(this.opts.useEventSource !== undefined ? { useEventSource: this.opts.useEventSource } : {}),
      sseResumeMs: this.opts.sseResumeMs ?? 4000,
      pollRetries: this.opts.pollRetries ?? 3,
      handlers: {
        onMessage: (m) => this.onMessage(session, m as ServerMessage),
        onActivity: () => (session.lastReceived = Date.now()),
        onClose: (info) => {
          connected.reject(info.error ?? new WsdError('transport_failed', `closed before connected (${info.code} ${info.reason})`));
          this.linkLost(session, info);
        },
      },
    });
    this.session = session;
    const connectMs = this.opts.connectTimeoutMs ?? 10000;
    try {
      await timeout(
        session.transport.open().then(() => session.connected),
        connectMs,
        `opening ${name}`,
      );
      await this.restore(session);
    } catch (error) {
      session.lost = true;
      session.transport.close();
      if (this.session === session) this.session = undefined;
      this.inFlight(session.matcher.drain());
      closed.resolve({ code: 1006, reason: 'open_failed' });
      throw error;
    }
    return session;
  }

  // Binds the uid and re-joins the rooms, then marks the session ready and flushes.
  private async restore(session: Session): Promise<void> {
    const ms = this.opts.connectTimeoutMs ?? 10000;
    // The filter first (it needs no bind), so that no filtered notice slips in before it.
    if (this.unsubscribed.length > 0) {
      await timeout(this.internal(session, { type: 'unsub', events: [...this.unsubscribed] }), ms, 'unsub');
    }
    const uid = this.boundUid ?? this.opts.uid;
    if (uid !== undefined) {
      const sig = this.bindSig;
      const bind = sig ? { type: 'bind' as const, uid, exp: sig.exp, sig: sig.sig } : { type: 'bind' as const, uid };
      await timeout(this.internal(session, bind), ms, 'bind');
    }
    const rooms = [...this.joined];
    const joins = rooms.map((roomId) =>
      this.internal(session, withSince({ type: 'room_join', roomId }, this.positions.get(roomId))).then(
        (answer) => this.reportRecovery(answer as ServerMessageMap['room_joined']),
        (e: WsdError) => {
          if (e.code === 'connection_lost') throw e;
          // Refused (too_many_rooms...): the error event says why.
          this.joined.delete(roomId);
          this.positions.forget(roomId);
        },
      ),
    );
    await timeout(Promise.all(joins), ms, 're-joining rooms');
    if (session.lost || this.stopped) throw new WsdError('connection_lost', 'the link dropped while restoring the session');
    session.ready = true;
    this.setState('connected');
    const info: SessionInfo = { connId: session.connId!, transport: session.name };
    this.emit('session', info);
    for (const w of this.waiters.splice(0)) w.resolve(info);
    this.startHeartbeat(session);
    void this.flush(session);
  }

  // A re-join that could not give every missed message: the app should reload the room.
  private reportRecovery(reply: ServerMessageMap['room_joined']): void {
    if (reply.recovered !== false) return;
    const reason: RoomRecoveryReason = reply.reason ?? 'unknown_offset';
    this.emit('room_recovery_failed', { roomId: reply.roomId, reason });
  }

  private internal(session: Session, message: ClientMessage): Promise<ServerMessage | undefined> {
    return new Promise((resolve, reject) => {
      const call: Call = { message, text: JSON.stringify(message), settled: false, internal: true, resolve, reject };
      void this.transmit(call, session);
    });
  }

  private onMessage(session: Session, message: ServerMessage): void {
    if (session.lost || this.session !== session) return;
    session.lastReceived = Date.now();
    if (message.type === 'connected') {
      if (session.connId === undefined) {
        session.connId = message.connId;
        session.onConnected(message.connId);
      } else if (message.connId !== session.connId) {
        // An SSE stream that came back too late: the server made a new session.
        void this.renewSession(session, message.connId);
      }
    } else if (message.type === 'ping') {
      session.transport.send('{"type":"pong"}').catch(() => undefined);
    }
    const { request } = session.matcher.match(message);
    if (message.type === 'bind_success' && request) {
      this.boundUid = message.uid;
      session.matcher.self = message.uid;
      const sent = request.message as { exp?: number; sig?: string };
      this.bindSig = sent.exp !== undefined && sent.sig !== undefined ? { exp: sent.exp, sig: sent.sig } : undefined;
    } else if ((message.type === 'unsub_success' || message.type === 'sub_success') && request) {
      this.unsubscribed = [...message.events];
    } else if ((message.type === 'room_created' || message.type === 'room_joined') && request) {
      this.joined.add(message.roomId);
      this.positions.joined(message.roomId, message, (request.message as { since?: RoomPosition }).since);
    } else if (message.type === 'room_left' && request) {
      this.joined.delete(message.roomId);
      this.positions.forget(message.roomId);
    } else if (message.type === 'room_send_success' && request && (request.message as { echo?: boolean }).echo !== true) {
      // Without echo this session never gets its own message: its offset is seen here.
      this.positions.advance(message.roomId, message.offset, message.epoch);
    } else if (message.type === 'room_message' && !this.positions.advance(message.roomId, message.offset, message.epoch)) {
      return;  // seen already (replayed after a re-join that overlapped live delivery)
    }
    // At-least-once delivery hands a stored message out again on each bind until it is
    // acknowledged: a repeat is acknowledged again but not shown to the app twice.
    const stored = message.type === 'direct' && message.offline === true && typeof message.id === 'string';
    if (message.type === 'direct' && typeof message.id === 'string' && !this.dedupe.add(message.id)) {
      if (stored && this.ackMode === 'auto') this.queueAck(message.id!);
      return;
    }
    const context: MessageContext = request ? { request: request.message } : {};
    this.emit('message', message, context);
    (this.emit as (t: string, m: ServerMessage, c: MessageContext) => void)(message.type, message, context);
    if (stored && this.ackMode === 'auto') this.queueAck(message.id!);
  }

  // Auto-ack: the ids of one burst of stored messages (a bind hands them out together) go
  // in one `ack`, sent once the current burst of messages has been handled.
  private queueAck(id: string): void {
    this.acksToSend.push(id);
    if (this.acksToSend.length > 1) return;
    setTimeout(() => {
      const ids = this.acksToSend.splice(0);
      for (let i = 0; i < ids.length; i += ACK_MAX_IDS) {
        // A lost ack costs only a repeat on the next bind, which is dropped and acked again.
        this.ack(ids.slice(i, i + ACK_MAX_IDS)).catch(() => undefined);
      }
    }, 0);
  }

  // The transport is still up but the server's session behind it is new (SSE): everything
  // in flight is handled as after a drop, then the session is restored on the new connId.
  private async renewSession(session: Session, connId: string): Promise<void> {
    const previous = session.connId;
    session.connId = connId;
    session.ready = false;
    this.inFlight(session.matcher.drain());
    session.matcher = new ReplyMatcher();
    this.emit('disconnect', { ...(previous ? { connId: previous } : {}), transport: session.name, code: 1006, reason: 'session_lost', willReconnect: true });
    this.setState('reconnecting');
    try {
      await this.restore(session);
    } catch (error) {
      session.transport.close();
      this.linkLost(session, { code: 1006, reason: 'restore_failed', error: error as WsdError });
    }
  }

  // The link of `session` ended (transport closed, send failed, or dead-link detection).
  private linkLost(session: Session, info: CloseInfo): void {
    if (session.lost) return;
    session.lost = true;
    if (session.heartbeat !== undefined) clearTimeout(session.heartbeat);
    session.transport.close();
    if (this.session === session) this.session = undefined;
    this.inFlight(session.matcher.drain());
    const willReconnect = this.renewsToken(info.reason) || (!this.stopped && this.policy !== undefined &&
      isRetryableClose(info.reason) && !(info.error && FATAL_REFUSALS.has(info.error.code)));
    if (session.ready) {
      this.emit('disconnect', {
        ...(session.connId ? { connId: session.connId } : {}),
        transport: session.name,
        code: info.code,
        reason: info.reason,
        willReconnect,
      });
    }
    session.onClosed(info);
  }

  // Dead-link detection: after `intervalMs` with nothing received, a `ping`; then, after
  // `timeoutMs` more with nothing received, the link counts as dead.
  private startHeartbeat(session: Session): void {
    const hb = this.heartbeat;
    if (!hb) return;
    const schedule = (ms: number): void => {
      if (session.heartbeat !== undefined) clearTimeout(session.heartbeat);
      session.heartbeat = setTimeout(check, Math.max(0, ms));
    };
    const check = (): void => {
      if (session.lost || this.stopped) return;
      const now = Date.now();
      if (session.pingSentAt !== undefined) {
        if (session.lastReceived >= session.pingSentAt) {
          session.pingSentAt = undefined;
        } else if (now - session.pingSentAt >= hb.timeoutMs) {
          this.linkLost(session, {
            code: 1006,
            reason: 'dead_link',
            error: new WsdError('connection_lost', `nothing received within ${hb.timeoutMs} ms of a ping`),
          });
          return;
        } else {
          schedule(session.pingSentAt + hb.timeoutMs - now);
          return;
        }
      }
      const quiet = now - session.lastReceived;
      if (quiet >= hb.intervalMs) {
        session.pingSentAt = now;
        this.internal(session, { type: 'ping' }).catch(() => undefined);
        schedule(hb.timeoutMs);
      } else {
        schedule(hb.intervalMs - quiet);
      }
    };
    schedule(hb.intervalMs);
  }

  // ---- ending --------------------------------------------------------------------------

  private setState(to: ClientState, error?: WsdError): void {
    const from = this._state;
    if (from === to || from === 'closed') return;
    this._state = to;
    this.emit('state', { from, to, ...(error ? { error } : {}) });
  }

  // The client closes for good: by close() (`byUser`), a refusal, or too many failures.
  private finish(error: WsdError, byUser = false): void {
    if (this.stopped) return;
    this.stopped = true;
    this.wake?.();
    const s = this.session;
    this.session = undefined;
    if (s && !s.lost) {
      s.lost = true;
      if (s.heartbeat !== undefined) clearTimeout(s.heartbeat);
      s.transport.close(1000, 'client closed');
      for (const r of s.matcher.drain()) {
        const call = (r as PendingRequest & { call?: Call }).call;
        if (call) settle(call, new WsdError('client_closed', 'the client closed', { request: call.message }));
      }
      if (s.ready) {
        this.emit('disconnect', {
          ...(s.connId ? { connId: s.connId } : {}),
          transport: s.name,
          code: 1000,
          reason: byUser ? 'client closed' : error.code,
          willReconnect: false,
        });
      }
      s.onClosed({ code: 1000, reason: 'client closed' });
    }
    const reason = error;
    for (const call of this.queue.splice(0)) {
      settle(call, new WsdError(byUser ? 'client_closed' : reason.code, byUser ? 'the client closed' : reason.message, { request: call.message }));
    }
    for (const w of this.waiters.splice(0)) w.reject(reason);
    this.setState('closed', byUser ? undefined : reason);
  }
}

// The last `max` ids seen, oldest forgotten first: O(1) per id, `max` strings of memory.
class RecentIds {
  private readonly set = new Set<string>();
  constructor(private readonly max: number) {}
  /** False when `id` was seen already (within the window). */
  add(id: string): boolean {
    if (this.max <= 0) return true;
    if (this.set.has(id)) return false;
    this.set.add(id);
    if (this.set.size > this.max) this.set.delete(this.set.values().next().value as string);
    return true;
  }
}

function settle(call: Call, error: WsdError | undefined, answer?: ServerMessage): void {
  if (call.settled) return;
  call.settled = true;
  if (call.timer !== undefined) clearTimeout(call.timer);
  if (error) call.reject(error);
  else call.resolve(answer);
}

function roomInfo(a: ServerMessage | undefined): RoomInfo {
  const r = a as ServerMessageMap['room_joined'];
  const info: RoomInfo = { roomId: r.roomId, members: r.members ?? [], offset: r.offset, epoch: r.epoch };
  if (r.recovered !== undefined) info.recovered = r.recovered;
  if (r.reason !== undefined) info.reason = r.reason;
  return info;
}

// A join, from `since` when one is given.
function withSince<T extends { type: 'room_join' | 'room_create'; roomId: string }>(message: T, since: RoomPosition | undefined): T {
  return since === undefined ? message : { ...message, since: { offset: since.offset, epoch: since.epoch } };
}

/**
 * Creates a client and resolves once its first session is ready (bound to options.uid if
 * given). Rejects if the server refuses (invalid_token...) or the client closes first.
 */
export async function connect(options: ClientOptions): Promise<WsdClient> {
  const client = new WsdClient(options);
  await client.connect();
  return client;
}
