// Which server message answers which client message.
//
// The protocol carries no request ids, so answers are told apart by what the server
// guarantees about their order on one connection (docs/protocol.md; server/src/gateway/
// client_actions.cpp and event_pipeline.cpp):
//
//  1. The server handles one connection's messages in the order sent (one WebSocket; for
//     SSE and polling the SDK POSTs one at a time, each after the previous one's 200).
//  2. A message is either answered at once ("immediate": `pong`, and the errors found
//     before it is logged: invalid_message, unknown_type, not_bound, already_bound,
//     too_many_recipients, rate_limited), or appended to the event log and answered when
//     the log applies it ("logged": every other answer and error). Logged answers come in
//     the order the messages were sent; immediate ones in that order too, but they may
//     overtake logged answers of earlier messages.
//  3. Signals (`webrtc_*`) have no answer when they succeed, only an error when they fail.
//
// Hence the rules of `match()`:
//  - an answer goes to the first pending request that it can answer (same kind, same uid,
//    room or recipient where the answer names one);
//  - an error goes to the first pending request that can produce that code; an immediate
//    code only to a request not yet known to have passed the server's first step;
//  - a logged answer for request k shows that every request before k has passed the first
//    step, and that every signal before k succeeded (its error would have come first).
// A request that timed out stays (settled) in the list so that its late answer is not
// taken for the answer of a later one.
import type { ClientMessage, ServerMessage } from './protocol.js';

/** One client message waiting for its answer. */
export interface PendingRequest {
  readonly message: ClientMessage;
  /** Called with the answer (or undefined for a signal that succeeded). */
  resolve(answer: ServerMessage | undefined): void;
  /** Called with the error message that answers it. */
  reject(error: ServerMessage & { type: 'error' }): void;
  /** True once resolved, rejected or timed out; it then only absorbs its late answer. */
  settled: boolean;
  /** True once known to have passed the server's first step (no immediate error can come). */
  passed?: boolean;
}

const IMMEDIATE_ONLY = new Set(['invalid_json', 'invalid_message', 'unknown_type', 'too_many_recipients', 'rate_limited']);
const NEEDS_BIND = new Set([
  'send', 'multicast', 'broadcast', 'room_create', 'room_join', 'room_leave', 'webrtc_offer', 'webrtc_answer', 'webrtc_ice',
  'ack', 'room_send', 'room_history',
]);
const SIGNALS = new Set(['webrtc_offer', 'webrtc_answer', 'webrtc_ice']);

/** Whether `message` is a signal: no answer when it succeeds. */
export const isSignal = (message: ClientMessage): boolean => SIGNALS.has(message.type);

/** Whether the server answers `message` at all (`pong` and unknown extensions: no). */
export const expectsAnswer = (message: ClientMessage): boolean =>
  message.type !== 'pong' && (ANSWERS as Record<string, unknown>)[message.type] !== undefined;

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

// For each kind of request: does this server message answer it? `self` is the bound uid.
const ANSWERS: Partial<Record<ClientMessage['type'], (req: any, ans: any, self: string | undefined) => boolean>> = {
  bind: (req, ans) => ans.type === 'bind_success' && ans.uid === req.uid,
  send: (req, ans) => ans.type === 'send_success' && typeof ans.to === 'string' && ans.to === req.to,
  multicast: (_req, ans) => ans.type === 'send_success' && Array.isArray(ans.to),
  broadcast: (req, ans, self) => ans.type === 'broadcast' && ans.from === self && sameJson(ans.msg, req.msg),
  list: (_req, ans) => ans.type === 'list',
  online: (req, ans) => ans.type === 'online_result' && ans.uid === req.uid,
  ping: (_req, ans) => ans.type === 'pong',
  room_create: (req, ans) => ans.type === 'room_created' && ans.roomId === req.roomId,
  room_join: (req, ans) => ans.type === 'room_joined' && ans.roomId === req.roomId,
  room_leave: (req, ans) => ans.type === 'room_left' && ans.roomId === req.roomId,
  // Room messages: one answer per request, naming the room; a room's own messages
  // (room_message) answer nothing.
  room_send: (req, ans) => ans.type === 'room_send_success' && ans.roomId === req.roomId,
  room_history: (req, ans) => ans.type === 'room_history' && ans.roomId === req.roomId,
  webrtc_offer: () => false,
  webrtc_answer: () => false,
  webrtc_ice: () => false,
  // Event filters and receipts: one answer each, in order (a connection's filter answers
  // list the whole filter, so the first pending one of the kind is the one answered).
  unsub: (_req, ans) => ans.type === 'unsub_success',
  sub: (_req, ans) => ans.type === 'sub_success',
  lsunsub: (_req, ans) => ans.type === 'lsunsub',
  ack: (_req, ans) => ans.type === 'ack_success',
};

// Whether a request of this kind can get an error with this code (docs/protocol.md "Errors").
function canFail(req: PendingRequest, code: string): boolean {
  const type = req.message.type;
  if (IMMEDIATE_ONLY.has(code)) return !req.passed && (code !== 'too_many_recipients' || type === 'multicast');
  switch (code) {
    case 'not_bound':
      return (NEEDS_BIND.has(type) && !req.passed) || type === 'room_create' || type === 'room_join' || type === 'ack';
    case 'already_bound': return type === 'bind';
    case 'inbox_full': return type === 'send';
    case 'not_in_room': return type === 'room_leave' || type === 'room_send' || type === 'room_history' || SIGNALS.has(type);
    case 'epoch_changed': return type === 'room_history';
    case 'target_not_in_room': return SIGNALS.has(type);
    case 'too_many_rooms': return type === 'room_create' || type === 'room_join';
    case 'log_unavailable': return type !== 'ping';
    default: return !req.passed;  // a code this SDK does not know: the oldest that may still fail
  }
}

/** What match() found. */
export interface Match {
  /** The request the message answers (already resolved or rejected unless it was settled). */
  request?: PendingRequest;
}

/** The requests of one session that wait for answers, in the order sent. */
export class ReplyMatcher {
  private pending: PendingRequest[] = [];

  /** The uid this connection is bound to (for telling own broadcasts apart). */
  self: string | undefined;

  /** Adds a request just sent. Signals resolve here and stay only to take a possible error. */
  add(request: PendingRequest): void {
    this.pending.push(request);
  }

  /** Requests not yet answered, in order. */
  get size(): number {
    return this.pending.length;
  }

  /** Matches one server message; resolves or rejects the request it answers. */
  match(message: ServerMessage): Match {
    if (message.type === 'error') return this.matchError(message as ServerMessage & { type: 'error' });
    const i = this.pending.findIndex((r) => ANSWERS[r.message.type]?.(r.message, message, this.self) ?? false);
    if (i < 0) return {};
    const request = this.pending[i]!;
    this.pending.splice(i, 1);
    this.passUpTo(i, message.type !== 'pong');
    if (!request.settled) {
      request.settled = true;
      request.resolve(message);
    }
    return { request };
  }

  private matchError(error: ServerMessage & { type: 'error' }): Match {
    const code = error.code ?? '';
    const i = this.pending.findIndex((r) => canFail(r, code));
    if (i < 0) return {};
    const request = this.pending[i]!;
    this.pending.splice(i, 1);
    this.passUpTo(i, !IMMEDIATE_ONLY.has(code));
    if (!request.settled) {
      request.settled = true;
      request.reject(error);
    }
    return { request };
  }

  // Requests before index `end` (exclusive) passed the server's first step; if `logged`,
  // they also passed the log, so signals among them succeeded (they were resolved when
  // sent) and can no longer fail, and settled ones (timed out) will get no late answer:
  // both leave the list.
  private passUpTo(end: number, logged: boolean): void {
    for (let j = 0; j < end; j++) this.pending[j]!.passed = true;
    if (logged) {
      const before = this.pending.slice(0, end).filter((r) => !SIGNALS.has(r.message.type) && !r.settled);
      this.pending = [...before, ...this.pending.slice(end)];
    }
  }

  /** Drops settled signals (they can only take an error that now will not come). */
  pruneSignals(keep: number): void {
    const signals = this.pending.filter((r) => SIGNALS.has(r.message.type));
    if (signals.length <= keep) return;
    const drop = new Set(signals.slice(0, signals.length - keep));
    this.pending = this.pending.filter((r) => !drop.has(r));
  }

  /** Takes every request out (the link dropped): the caller decides what becomes of them. */
  drain(): PendingRequest[] {
    const all = this.pending;
    this.pending = [];
    return all;
  }

  /** Removes one request (its send failed before the server saw it). */
  remove(request: PendingRequest): void {
    this.pending = this.pending.filter((r) => r !== request);
  }
}
