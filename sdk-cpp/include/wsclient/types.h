// wsclient: the one public types header. Options (each default in place), outcomes (values,
// never exceptions), the typed events of every server message, and the handlers that
// receive them. JSON payloads (`msg`, `sdp`, `candidate`, whole messages) travel as JSON
// text in std::string, so no JSON library leaks into your build.
//
// C++17. Thread-safety: plain values; copy them freely between threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wsclient/codes.h"

namespace wsclient {

// ---- Enumerations ---------------------------------------------------------------------

// How bytes reach the server. docs/protocol.md, "Connecting".
enum class TransportKind {
  kWebSocket,  // GET /ws (upgrade): one text frame per message
  kSse,        // GET /sse (text/event-stream) + POST /sse?connId=C per message
  kPoll,       // GET /poll (JSON array, long-held) + POST /poll?connId=C per message
};
const char* toString(TransportKind kind);  // "ws", "sse", "poll"

// The `mode` query parameter.
enum class Mode {
  kShort,  // no server heartbeat
  kLong,   // the server pings every heartbeat interval; the SDK answers
};

// What a call does when the outbound queue already holds Options::maxQueued messages.
enum class OverflowPolicy {
  kRejectNew,   // the call returns SendStatus::kQueueFull; nothing is queued (the default)
  kDropOldest,  // the oldest queued message is dropped (reported to Handlers::onDropped)
};

// How stored messages (Direct::offline) are acknowledged (docs/protocol.md, "Delivery receipts").
enum class AckMode {
  kAuto,    // each is acknowledged once onDirect returned (the default)
  kManual,  // only by Client::ack(): with at-least-once delivery they come again on each bind until then
};

// The client's life. Reported to Handlers::onStateChange and by Client::state().
enum class State {
  kIdle,          // constructed, connect() not called yet
  kConnecting,    // trying the transports in order (first connection)
  kConnected,     // a session is up: queued messages flow
  kReconnecting,  // the link was lost (or every transport failed): waiting for the next attempt
  kClosing,       // close() was called: sending what is queued, then closing the link
  kClosed,        // for good: close() finished, a fatal refusal, or reconnect gave up
};
const char* toString(State state);

// The outcome of every sending call (bind, send, rooms, signaling...).
enum class SendStatus {
  kAccepted,         // queued; it leaves as soon as a session is up (now, when connected)
  kQueueFull,        // the outbound queue is full (OverflowPolicy::kRejectNew); nothing queued
  kInvalidArgument,  // an argument breaks the protocol's rules (empty uid, msg not JSON...)
  kTooBig,           // the encoded message is larger than Options::maxMessageBytes
  kClosed,           // close() was called; nothing queued
};
const char* toString(SendStatus status);

// ---- Outcomes -------------------------------------------------------------------------

// An outcome: ok() when code is kNone; otherwise `message` says what happened in words.
struct Status {
  ErrorCode code = ErrorCode::kNone;
  std::string message;
  bool ok() const { return code == ErrorCode::kNone; }
};

// A value or the Status that explains why there is none. value() requires ok().
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design
  bool ok() const { return value_.has_value(); }
  const T& value() const { return *value_; }
  T& value() { return *value_; }
  const Status& status() const { return status_; }

 private:
  std::optional<T> value_;
  Status status_;
};

// ---- Options --------------------------------------------------------------------------

// Reconnection after a lost link: delay n (n = 0, 1, ...) is
// min(maxDelay, initialDelay * multiplier^n), scaled by a random factor in [1 - jitter, 1].
struct ReconnectOptions {
  bool enabled = true;                          // false: a lost link closes the client
  std::chrono::milliseconds initialDelay{500};  // the first retry's delay (> 0)
  std::chrono::milliseconds maxDelay{30000};    // no delay is longer (>= initialDelay)
  double multiplier = 2.0;                      // growth per failed attempt (>= 1)
  double jitter = 0.5;                          // 0: exact delays; 1: anywhere in (0, delay]
  unsigned maxAttempts = 0;                     // failed attempts in a row before giving up; 0: never
};

// Dead-link detection, on every transport: when nothing has arrived for `pingAfter`, the
// client sends {"type":"ping"} (wsd answers pong); when still nothing has arrived
// `deadAfter` later, the link is declared dead, closed, and a reconnect begins.
struct HeartbeatOptions {
  std::chrono::milliseconds pingAfter{15000};  // 0: never ping, never declare a link dead
  std::chrono::milliseconds deadAfter{10000};  // > 0 when pingAfter is
};

struct Options {
  // The server: http://HOST:PORT, https://, ws:// or wss://, optionally with a path prefix
  // under which /ws, /sse and /poll live (http://host/chat -> /chat/ws). Required.
  std::string url;
  std::string project;  // required
  std::string token;    // required
  Mode mode = Mode::kLong;
  // The transports to try, in order; the first that is established wins. A reconnect starts
  // from the transport that last worked. Non-empty, no repeats.
  std::vector<TransportKind> transports{TransportKind::kWebSocket, TransportKind::kSse, TransportKind::kPoll};
  std::chrono::milliseconds connectTimeout{10000};  // per transport attempt, until `connected`
  std::chrono::milliseconds requestTimeout{10000};  // list()/online() without an answer fail kTimeout
  std::chrono::milliseconds closeTimeout{2000};     // close(): how long queued messages may take to leave
  ReconnectOptions reconnect{};
  HeartbeatOptions heartbeat{};
  std::size_t maxQueued = 1000;  // outbound queue bound (>= 1)
  OverflowPolicy overflow = OverflowPolicy::kRejectNew;
  std::size_t maxMessageBytes = 65536;  // the server's default limit; larger messages are kTooBig
  AckMode ackMode = AckMode::kAuto;
  // How many recent message ids are remembered to drop a Direct delivered again (at-least-once
  // redelivery after a reconnect): a repeat is not reported. 0: none dropped.
  std::size_t dedupeWindow = 1000;
};

// A bind signature, made by the app's backend with the project's server secret (never in a
// client): sig = hex HMAC-SHA256(secret, uid + ":" + exp), exp in Unix seconds.
struct BindSignature {
  std::int64_t exp = 0;
  std::string sig;
};

// ---- Events: one per server message ---------------------------------------------------
// Every event keeps `raw`: the server message's whole JSON text, for fields this SDK does
// not model (wsd and your own server's extensions).

// `connected`, or an SSE/poll session resumed without one.
struct Connected {
  std::string connId;
  TransportKind transport = TransportKind::kWebSocket;
  bool reconnected = false;  // a session was up before (the SDK re-binds and re-joins rooms now)
  bool resumed = false;      // the same server session continued (SSE Last-Event-ID, poll connId)
  std::string raw;           // "" when resumed
};

// The link ended (or a whole round of connection attempts failed).
struct Disconnected {
  int code = 1006;                       // close code (see kCloseCodes); 1006 when none came
  std::string reason;                    // the close reason, or what failed, in words
  ErrorCode error = ErrorCode::kNone;    // a refusal's code (invalid_token...), else kNone
  std::string errorText;                 // a refusal's code as the server sent it, "" when none came
  std::string message;                   // a refusal's message from the server, "" when none came
  int httpStatus = 0;                    // a refused handshake's HTTP status, else 0
  bool wasConnected = false;             // false: the attempts of a (re)connection all failed
  bool willReconnect = false;            // false: the client is now kClosed
  std::chrono::milliseconds retryIn{0};  // when willReconnect: the delay before the next attempt
};

struct BindSuccess {
  std::string uid;
  std::string raw;
};

// A one-to-one message (also what multicast recipients get).
struct Direct {
  std::string from;
  std::string to;
  std::string msg;                  // JSON text of `msg`
  std::optional<std::string> text;  // `msg` decoded, when it is a JSON string
  std::string id;                   // wsd: the message's event id ("" if absent)
  std::int64_t timestamp = 0;       // ms since the epoch (0 if absent)
  bool offline = false;             // true: it waited in the offline inbox
  std::string raw;
};

struct Broadcast {
  std::string from;  // wsd: the sender's uid ("" if absent)
  std::string msg;   // JSON text
  std::optional<std::string> text;
  std::string id;
  std::int64_t timestamp = 0;
  std::string raw;
};

// `send_success`, for send (one uid) and multicast (lists).
struct SendSuccess {
  bool multicast = false;
  std::vector<std::string> to;       // send: the recipient; multicast: uids delivered live
  std::vector<std::string> offline;  // uids whose copy was stored (send: the recipient, if stored)
  std::string id;
  std::string raw;
};

struct OnlineResult {
  std::string uid;
  bool online = false;
  std::string raw;
};

// `list`: the project's online uids, sorted.
struct ListResult {
  std::vector<std::string> uids;
  std::string raw;
};

// `online` / `offline`: a uid's first session bound, or its last one ended.
struct Presence {
  std::string uid;
  bool online = false;
  std::int64_t timestamp = 0;
  std::string raw;
};

// `ping` (the SDK has answered it already) or `pong` (the answer to the SDK's ping).
struct Heartbeat {
  bool ping = false;  // false: a pong
  std::string raw;
};

// `error`.
struct ServerError {
  ErrorCode code = ErrorCode::kUnknown;  // kUnknown when absent or not known (see codeText)
  std::string codeText;                  // the wire code as sent
  std::string msg;
  std::string raw;
};

// ---- Room messages (docs/protocol.md, "Room messages, history and recovery") ----------

// A place in a room's message stream: the last offset seen, under which epoch. Offsets
// compare only under the same epoch; {0, ""} is the stream's start under any epoch.
struct RoomPosition {
  std::int64_t offset = 0;  // 0: before the room's first message
  std::string epoch;        // "": the room never had a message
};

// Why a join from a position could not give every missed message.
enum class RoomRecoveryReason {
  kNone,            // recovered, or the join named no position
  kHistoryTrimmed,  // some missed messages are no longer retained; the retained ones follow
  kEpochChanged,    // the position is of another epoch of the room's stream; nothing follows
  kUnknownOffset,   // the position is beyond the room's last offset; nothing follows
};
const char* toString(RoomRecoveryReason reason);  // "", "history_trimmed", "epoch_changed", "unknown_offset"

// room_created, room_joined, room_left, room_member_joined, room_member_left.
struct RoomEvent {
  enum class Kind { kCreated, kJoined, kLeft, kMemberJoined, kMemberLeft };
  Kind kind = Kind::kJoined;
  std::string roomId;
  std::vector<std::string> members;  // kCreated, kJoined: the members (own uid included)
  std::string uid;                   // kMemberJoined, kMemberLeft: who
  std::int64_t offset = 0;           // kCreated, kJoined: the room's last message offset (0: none yet)
  std::string epoch;                 // kCreated, kJoined: the stream's epoch ("" : no message yet)
  // kCreated, kJoined from a position: whether every message after it follows as a
  // RoomMessage. nullopt when the join named no position.
  std::optional<bool> recovered;
  RoomRecoveryReason reason = RoomRecoveryReason::kNone;  // when recovered is false: why
  std::string raw;
};

// `room_message`: one message of a room's stream.
struct RoomMessage {
  std::string roomId;
  std::string from;
  std::string msg;  // JSON text of `msg`
  std::optional<std::string> text;
  std::int64_t offset = 0;
  std::string epoch;
  std::string id;  // the message's event id (also in RoomSendResult::id)
  std::int64_t timestamp = 0;
  std::string raw;
};

// Client::sendToRoom(): where the message landed in the room's stream (room_send_success).
struct RoomSendResult {
  std::string roomId;
  std::int64_t offset = 0;
  std::string epoch;
  std::string id;
  std::string raw;
};

// Client::joinRoom(roomId, since) / createRoom(roomId, since): the join's answer.
struct RoomInfo {
  std::string roomId;
  std::vector<std::string> members;  // own uid included
  std::int64_t offset = 0;           // the room's last message offset (0: none yet)
  std::string epoch;                 // "" when the room never had a message
  std::optional<bool> recovered;     // whether every message after `since` follows as a RoomMessage
  RoomRecoveryReason reason = RoomRecoveryReason::kNone;  // when recovered is false: why
  std::string raw;
};

// Client::roomHistory(): at most one of `since` and `before`.
struct RoomHistoryOptions {
  std::optional<RoomPosition> since;   // the oldest retained messages after this position
  std::optional<std::int64_t> before;  // the newest retained messages below this offset
  int limit = 0;                       // 1 to 1000; 0: the server's default (100)
};

// Client::roomHistory(): one page of a room's retained messages, ascending by offset.
struct RoomHistoryPage {
  std::string roomId;
  std::vector<RoomMessage> messages;
  bool hasMore = false;     // more retained beyond the page: newer ones for `since`, older ones otherwise
  std::string epoch;        // the stream's epoch ("" when the room never had a message)
  std::int64_t offset = 0;  // the room's last offset
  std::string raw;
};

// A room re-joined after a reconnect could not give every message missed meanwhile: the
// app should reload it (Client::roomHistory()). The client goes on from the room's position.
struct RoomRecoveryFailure {
  std::string roomId;
  RoomRecoveryReason reason = RoomRecoveryReason::kUnknownOffset;
};

// webrtc_offer, webrtc_answer, webrtc_ice, relayed from `from`.
struct Signal {
  enum class Kind { kOffer, kAnswer, kIce };
  Kind kind = Kind::kOffer;
  std::string roomId;
  std::string from;
  std::string to;
  std::string payload;  // JSON text of `sdp` (offer, answer) or `candidate` (ice; may be "null")
  std::string raw;
};

// unsub_success, sub_success, lsunsub: the kinds of notices this connection is unsubscribed
// from now ("online", "offline", "broadcast", "room_member_joined", "room_member_left"), sorted.
struct FilterResult {
  enum class Kind { kUnsub, kSub, kList };
  Kind kind = Kind::kList;
  std::vector<std::string> events;
  std::string raw;
};

// ack_success: the acknowledged ids that were stored and are now removed.
struct AckResult {
  std::vector<std::string> ids;
  std::string raw;
};

// Any server message, known type or not, before its typed handler runs.
struct RawMessage {
  std::string type;  // "" when the message has no string `type`
  std::string json;
};

// A message the SDK discarded after accepting it.
struct Dropped {
  enum class Reason {
    kOverflow,  // OverflowPolicy::kDropOldest made room for a newer message
    kClosed,    // still queued when the client closed
    kRejected,  // the server answered its POST with an HTTP error (the ServerError event says which)
  };
  Reason reason = Reason::kOverflow;
  std::string json;
};

// ---- Handlers -------------------------------------------------------------------------
// Set them before connect(); empty ones are skipped. Every handler (and every callback of
// list()/online()) runs on the client's own I/O thread, one at a time, in arrival order.
// Handlers may call any Client method, except that they must not destroy the Client or
// block on one of its futures (the answer would have to arrive on this very thread).
struct Handlers {
  std::function<void(const Connected&)> onConnected;
  std::function<void(const Disconnected&)> onDisconnected;
  std::function<void(State)> onStateChange;
  std::function<void(const BindSuccess&)> onBindSuccess;
  std::function<void(const Direct&)> onDirect;
  std::function<void(const Broadcast&)> onBroadcast;
  std::function<void(const SendSuccess&)> onSendSuccess;
  std::function<void(const OnlineResult&)> onOnlineResult;
  std::function<void(const ListResult&)> onList;
  std::function<void(const Presence&)> onPresence;
  std::function<void(const Heartbeat&)> onHeartbeat;
  std::function<void(const ServerError&)> onError;
  std::function<void(const RoomEvent&)> onRoom;
  // Room messages, each once, in offset order (a repeat after a re-join is dropped).
  std::function<void(const RoomMessage&)> onRoomMessage;
  std::function<void(const RoomRecoveryFailure&)> onRoomRecoveryFailed;
  std::function<void(const Signal&)> onSignal;
  std::function<void(const FilterResult&)> onFilter;
  std::function<void(const AckResult&)> onAck;
  std::function<void(const RawMessage&)> onMessage;  // every message, first
  std::function<void(const Dropped&)> onDropped;
};

}  // namespace wsclient
