// The public types of the SDK, in one file: the wire types (generated from schemas/ into
// protocol.ts and re-exported here), the options, the results of each call and the events.
// Every optional field says what leaving it out means.
import type {
  ClientMessage,
  ServerMessage,
  ServerMessageMap,
  HttpMailRequest,
} from './protocol.js';
import type { WsdError, RateLimitInfo } from './errors.js';

export type * from './protocol.js';
export type { RateLimitInfo } from './errors.js';

// ---- connecting -----------------------------------------------------------------------

/** The three ways to reach wsd, in the SDK's default order of preference. */
export type TransportName = 'ws' | 'sse' | 'poll';

/** `short`: no server heartbeat. `long`: the server pings every heartbeat interval (15 s). */
export type Mode = 'short' | 'long';

/** A WebSocket constructor with the browser's API (the global one, or the `ws` package's). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** An EventSource constructor with the browser's API. */
export type EventSourceConstructor = new (url: string, init?: { withCredentials?: boolean }) => EventSource;

/** Reconnect policy: exponential backoff with jitter, bounded. */
export interface ReconnectOptions {
  /** First delay after a failed attempt, in ms. Default 500. */
  minDelayMs?: number;
  /** Largest delay, in ms. Default 20000. */
  maxDelayMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /**
   * Share of each delay that is random, 0..1: a delay d becomes d·(1−jitter) + rand·d·jitter.
   * Default 0.5.
   */
  jitter?: number;
  /**
   * Failed attempts in a row (each tries every transport once) after which the client gives
   * up and closes. A link that drops after working starts the count again. Default Infinity.
   */
  maxAttempts?: number;
}

/** What happens to a call made while the outbound queue is full. */
export type QueueOverflowPolicy =
  /** The new call is refused at once (`queue_full`); nothing queued is dropped. The default. */
  | 'reject-new'
  /** The oldest queued call is dropped (its promise rejects with `queue_full`) to make room. */
  | 'drop-oldest';

/** The outbound queue: calls made while no session is ready wait here, in order. */
export interface QueueOptions {
  /** Most calls waiting at once. Default 1000. */
  max?: number;
  /** Default 'reject-new'. */
  overflow?: QueueOverflowPolicy;
}

/**
 * A kind of notice a connection can stop receiving with `unsub()` (docs/protocol.md,
 * "Event filters"). Direct messages are never filtered.
 */
export type FilterKind = 'online' | 'offline' | 'broadcast' | 'room_member_joined' | 'room_member_left';

/**
 * A bind signature, made by the app's backend (never in the browser: it needs the project's
 * server secret): `sig` = hex HMAC-SHA256(secret, `${uid}:${exp}`), `exp` in Unix seconds.
 */
export interface BindSignature {
  exp: number;
  sig: string;
}

/**
 * How stored messages (`direct` with `offline: true`) are acknowledged (docs/protocol.md,
 * "Delivery receipts").
 */
export type AckMode =
  /** Each is acknowledged once the `direct` listeners have run. The default. */
  | 'auto'
  /** Only by `ack(ids)`: a project with at-least-once delivery hands them out again on each bind until then. */
  | 'manual';

/** Dead-link detection: a client `ping` when the link has been quiet. */
export interface HeartbeatOptions {
  /** Quiet time (nothing received) after which the client sends `ping`, in ms. Default 20000. */
  intervalMs?: number;
  /** Time to wait for anything after that ping before the link counts as dead, in ms. Default 10000. */
  timeoutMs?: number;
}

/** A token, or a function that gets a fresh one (see `ClientOptions.token`). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of `connect()` / `new WsdClient()`. */
export interface ClientOptions {
  /**
   * The server's base URL: `http(s)://host:port` or `ws(s)://host:port`, optionally with a
   * path prefix (a reverse proxy's). `/ws`, `/sse` and `/poll` are appended.
   */
  url: string;
  /** Project key. */
  project: string;
  /**
   * Project token (from the admin API, POST /token), or a function that gets one (typically
   * from the app's backend). A function is called before every connect and reconnect, and
   * again at once when the server says the token expired (a 401 `token_expired` refusal or
   * a 1008 `token_expired` close); only when the token it then gives has expired too does the
   * client close with `token_expired`. A function that throws or gives no token counts as a
   * failed connect attempt (`transport_failed`, retried with backoff).
   */
  token: TokenSource;
  /** Default 'short'. With 'long' the server pings and the SDK answers each ping. */
  mode?: Mode;
  /** Transports to try, in order. Default ['ws', 'sse', 'poll']. */
  transports?: TransportName[];
  /** A uid to bind on every session (the first one and after each reconnect). Default: none. */
  uid?: string;
  /**
   * The signature for `uid` when the project requires signed binds. Default: none (an
   * unsigned bind). A signature given to `bind()` replaces it.
   */
  bindSignature?: BindSignature;
  /** Default 'auto'. */
  ackMode?: AckMode;
  /**
   * How many recent message ids are remembered to drop a `direct` delivered again (at-least-once
   * redelivery after a reconnect): a repeat is not emitted. 0: none dropped. Default 1000.
   */
  dedupeWindow?: number;
  /** Reconnect policy, or false to never reconnect. Default: see ReconnectOptions. */
  reconnect?: ReconnectOptions | false;
  /** Outbound queue. Default: see QueueOptions. */
  queue?: QueueOptions;
  /** Dead-link detection, or false for none. Default: see HeartbeatOptions. */
  heartbeat?: HeartbeatOptions | false;
  /** How long a transport may take to open and deliver `connected`, in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** How long a call waits for its answer once sent, in ms. Default 15000. */
  requestTimeoutMs?: number;
  /**
   * Calls sent but unanswered when the link drops: queries, binds and room changes are always
   * sent again on the next session; messages (`send`, `multicast`, `broadcast`) and signals
   * are rejected with `connection_lost` (at most once) unless this is true (at least once:
   * the recipient may get them twice). Default false.
   */
  resendInFlight?: boolean;
  /**
   * SSE: how long a dropped stream may take to resume (Last-Event-ID) before the session
   * counts as lost, in ms. Keep it below the server's --sse-resume-window (5 s). Default 4000.
   */
  sseResumeMs?: number;
  /** SSE: use EventSource (true) or fetch streaming (false). Default: EventSource where it exists. */
  useEventSource?: boolean;
  /** Polling: how many times a failed GET is retried (500 ms apart) before the session counts as lost. Default 3. */
  pollRetries?: number;
  /** WebSocket constructor. Default: the global one, else the `ws` package (loaded on first use). */
  WebSocket?: WebSocketConstructor;
  /** EventSource constructor. Default: the global one (browsers). */
  EventSource?: EventSourceConstructor;
  /** fetch. Default: the global one. */
  fetch?: typeof fetch;
}

/** Where the client is. */
export type ClientState =
  /** Made, not yet asked to connect. */
  | 'idle'
  /** Opening its first session. */
  | 'connecting'
  /** A session is up: bound (if a uid is known), rooms re-joined, queue flushed. */
  | 'connected'
  /** The link dropped (or an attempt failed); trying again after a backoff delay. */
  | 'reconnecting'
  /** Closed by close(), by a refusal that retrying cannot fix, or after maxAttempts. */
  | 'closed';

/** One established session. */
export interface SessionInfo {
  /** The server's id of this connection. */
  connId: string;
  transport: TransportName;
}

// ---- call results ---------------------------------------------------------------------

/** `send()`: delivered live, or stored for the recipient's next bind. */
export interface SendResult {
  to: string;
  /** True when the recipient was offline and the message was stored. */
  offline: boolean;
  /** The message's event id (also on the recipient's `direct`). */
  id?: string;
}

/** `multicast()`: who got it live, who will get it on their next bind, and who could not. */
export interface MulticastResult {
  /** Uids delivered live. */
  to: string[];
  /** Uids offline: stored. */
  offline: string[];
  /** Uids offline whose inbox was full: not stored. */
  failed: string[];
  id?: string;
}

/** `broadcast()`: the copy every connection of the project got, this one included. */
export interface BroadcastResult {
  id?: string;
  timestamp: number;
}

/**
 * A place in a room's message stream: the last offset seen, under which epoch. Offsets
 * compare only under the same epoch; `{ offset: 0, epoch: '' }` is the stream's start.
 */
export interface RoomPosition {
  offset: number;
  epoch: string;
}

/** Why a join from a position could not give every missed message (docs/protocol.md). */
export type RoomRecoveryReason = 'epoch_changed' | 'history_trimmed' | 'unknown_offset';

/** `createRoom()` / `joinRoom()`. */
export interface RoomInfo {
  roomId: string;
  /** Uids in the room, own included. */
  members: string[];
  /** The room's last message offset (0 when it never had a message). */
  offset: number;
  /** The room stream's epoch ('' when it never had a message). */
  epoch: string;
  /** Only when the join named `since`: whether every message after it follows as `room_message`. */
  recovered?: boolean;
  /** Only when `recovered` is false: why. */
  reason?: RoomRecoveryReason;
}

/** `createRoom()` / `joinRoom()` options. */
export interface JoinRoomOptions {
  /**
   * Recover from this position: the missed messages follow the reply as `room_message`
   * events. Default: the position this client remembers for the room, if any (see
   * roomPosition()); none for a room it was never in.
   */
  since?: RoomPosition;
}

/** `sendToRoom()` options. */
export interface SendToRoomOptions {
  /** Deliver the message to this connection too, as a `room_message`. Default false. */
  echo?: boolean;
}

/** `sendToRoom()`: where the message landed in the room's stream. */
export interface RoomSendResult {
  offset: number;
  epoch: string;
  /** The message's event id (also on every member's `room_message`). */
  id: string;
}

/** `roomHistory()` options: at most one of `since` and `before`. */
export interface RoomHistoryOptions {
  /** The oldest retained messages after this position. */
  since?: RoomPosition;
  /** The newest retained messages below this offset. */
  before?: number;
  /** At most this many (1–1000). Default: the server's, 100. */
  limit?: number;
}

/** `roomHistory()`: one page of a room's retained messages, ascending by offset. */
export interface RoomHistoryPage {
  messages: ServerMessageMap['room_message'][];
  /** More retained messages lie beyond the page: newer ones for `since`, older ones otherwise. */
  hasMore: boolean;
  /** The stream's epoch ('' when the room never had a message). */
  epoch: string;
  /** The room's last offset. */
  offset: number;
}

/** A re-join after a reconnect could not give every missed room message. */
export interface RoomRecoveryFailure {
  roomId: string;
  reason: RoomRecoveryReason;
}

/** What `sendMail()` / `MailClient.send()` take: the seed's mail request. */
export type MailRequest = HttpMailRequest;

/** A mail the relay took. */
export interface MailResult {
  /** The request's event id, also the local part of the mail's Message-ID. */
  id?: string;
  msg: string;
  rateLimit: RateLimitInfo;
}

// ---- events ---------------------------------------------------------------------------

/** What the SDK knows about a server message besides its body. */
export interface MessageContext {
  /** The client message it answers, when it answers one that this client sent. */
  request?: ClientMessage;
}

/** A state change. */
export interface StateChange {
  from: ClientState;
  to: ClientState;
  /** Why: the error that dropped the link or ended the client, if any. */
  error?: WsdError;
}

/** Before each reconnect attempt. */
export interface ReconnectInfo {
  /**
   * The attempt about to be made: 1 after a link dropped, n+1 after n failed attempts in a
   * row. The delay is backoffDelay(policy, attempt).
   */
  attempt: number;
  /** How long the client waits before trying. */
  delayMs: number;
  /** What failed. */
  error?: WsdError;
}

/** The link of a session went down. */
export interface DisconnectInfo {
  connId?: string;
  transport: TransportName;
  /** Close code (1006 when the link dropped without one). */
  code: number;
  reason: string;
  /** Whether the client will reconnect. */
  willReconnect: boolean;
}

/** Server messages, each under its own type. */
export type ServerEvents = {
  [K in keyof ServerMessageMap]: (message: ServerMessageMap[K], context: MessageContext) => void;
};

/** Everything a WsdClient emits. */
export interface ClientEvents extends ServerEvents {
  /** Every server message, before its own event. */
  message: (message: ServerMessage, context: MessageContext) => void;
  /** The client's state changed. */
  state: (change: StateChange) => void;
  /** A session is ready (bound, rooms re-joined), before the queue is flushed. */
  session: (session: SessionInfo) => void;
  /** A session's link went down. */
  disconnect: (info: DisconnectInfo) => void;
  /** The client will try again after `delayMs`. */
  reconnecting: (info: ReconnectInfo) => void;
  /** A transport could not be opened; the client tries the next one (or backs off). */
  transport_failed: (info: { transport: TransportName; error: WsdError }) => void;
  /**
   * A room re-joined after a reconnect could not give every message missed meanwhile
   * (`reason`): the app should reload the room (roomHistory()). The client goes on from
   * the room's current position.
   */
  room_recovery_failed: (info: RoomRecoveryFailure) => void;
}
