// wsclient: the client. One Client is one logical connection to a wsd project: it picks a
// transport (ws, then sse, then poll unless told otherwise), keeps a session up through
// reconnects, and re-binds and re-joins rooms on every new session.
//
// Threads: every method may be called from any thread, concurrently. Each Client runs one
// I/O thread of its own (started by connect(), joined by the destructor); every handler and
// query callback runs there. Sending calls never block: they validate, queue and return.
//
// Lifetime: destroy the Client from any thread except its own I/O thread (that is, not
// inside a handler). The destructor closes (see close()) and waits for the I/O thread.
//
// C++17.
#pragma once

#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wsclient/types.h"

namespace wsclient {

class Client {
 public:
  Client(Options options, Handlers handlers);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Validates the options and starts the I/O thread, which connects. Messages sent before
  // are queued. Errors: kInvalidOptions (message says what to change), kAlreadyStarted.
  Status connect();

  // Stops for good: no more reconnects; what is queued gets Options::closeTimeout to leave
  // while a session is up (the rest is reported to onDropped), then the link is closed
  // (1000) and the state becomes kClosed. Returns at once; safe from handlers.
  void close();
  // Waits until the client is kClosed (or connect() was never called); false on timeout.
  bool waitClosed(std::chrono::milliseconds timeout);

  // ---- Messages (docs/protocol.md, "Client messages") ----
  // `msgJson` is any JSON value as text: "\"hi\"", "{\"x\":1}", "42". See jsonString().
  // bind(): one uid per client (wsd answers a second one `already_bound`); the last uid
  // bound is bound again on every new session.
  SendStatus bind(std::string_view uid);
  // A signed bind (projects that require one): the signature is sent again on every re-bind,
  // so give one whose exp outlives the session.
  SendStatus bind(std::string_view uid, const BindSignature& signature);
  SendStatus send(std::string_view to, std::string_view msgJson);
  SendStatus multicast(const std::vector<std::string>& to, std::string_view msgJson);
  SendStatus broadcast(std::string_view msgJson);

  // ---- Queries: answered by the next matching reply, or kTimeout after requestTimeout ----
  // Queries sent on a link that drops before the answer are asked again on the next one.
  std::future<Result<ListResult>> list();
  void list(std::function<void(const Result<ListResult>&)> done);
  std::future<Result<OnlineResult>> online(std::string_view uid);
  void online(std::string_view uid, std::function<void(const Result<OnlineResult>&)> done);

  // ---- Event filters and receipts (docs/protocol.md, "Event filters", "Delivery receipts") ----
  // unsub()/sub(): `events` are kinds of notices ("online", "offline", "broadcast",
  // "room_member_joined", "room_member_left"); the answer lists every kind now unsubscribed.
  // The filter is set again on every new session. Unknown kinds fail kInvalidArgument.
  std::future<Result<FilterResult>> unsub(const std::vector<std::string>& events);
  void unsub(const std::vector<std::string>& events, std::function<void(const Result<FilterResult>&)> done);
  std::future<Result<FilterResult>> sub(const std::vector<std::string>& events);
  void sub(const std::vector<std::string>& events, std::function<void(const Result<FilterResult>&)> done);
  std::future<Result<FilterResult>> listUnsubscribed();
  void listUnsubscribed(std::function<void(const Result<FilterResult>&)> done);
  // Acknowledges stored messages by Direct::id (1 to 1000 ids); the answer names those removed.
  std::future<Result<AckResult>> ack(const std::vector<std::string>& ids);
  void ack(const std::vector<std::string>& ids, std::function<void(const Result<AckResult>&)> done);

  // ---- Rooms and WebRTC signaling ----
  // Rooms joined (or created) are joined again on every new session, from the last position
  // seen in each (roomPosition()), so the messages missed meanwhile arrive at onRoomMessage,
  // each once and in order; when the server cannot give them all, onRoomRecoveryFailed says
  // why. Left rooms are not joined again.
  SendStatus createRoom(std::string_view roomId);
  SendStatus joinRoom(std::string_view roomId);
  // Joins (creating the room if needed) from `since`: the messages missed since then follow
  // the answer as RoomMessages (see RoomInfo::recovered). Errors: kTooManyRooms, kNotBound.
  std::future<Result<RoomInfo>> createRoom(std::string_view roomId, const RoomPosition& since);
  void createRoom(std::string_view roomId, const RoomPosition& since,
                  std::function<void(const Result<RoomInfo>&)> done);
  std::future<Result<RoomInfo>> joinRoom(std::string_view roomId, const RoomPosition& since);
  void joinRoom(std::string_view roomId, const RoomPosition& since, std::function<void(const Result<RoomInfo>&)> done);
  SendStatus leaveRoom(std::string_view roomId);
  // A message to every member session of the room (this one too with `echo`), kept in the
  // room's history; completes with its place in the room's stream. Members only
  // (kNotInRoom). Never sent twice: a link that drops before the answer fails it
  // kConnectionLost (it may or may not have reached the room).
  std::future<Result<RoomSendResult>> sendToRoom(std::string_view roomId, std::string_view msgJson, bool echo = false);
  void sendToRoom(std::string_view roomId, std::string_view msgJson, bool echo,
                  std::function<void(const Result<RoomSendResult>&)> done);
  // A page of the room's retained messages, ascending by offset: the newest, the oldest
  // after `since` (kEpochChanged when its epoch is not the room's), or the newest below
  // `before`. Members only (kNotInRoom). Both since and before: kInvalidArgument.
  std::future<Result<RoomHistoryPage>> roomHistory(std::string_view roomId, const RoomHistoryOptions& options = {});
  void roomHistory(std::string_view roomId, const RoomHistoryOptions& options,
                   std::function<void(const Result<RoomHistoryPage>&)> done);
  // The last position this client saw in `roomId` (nullopt when not in it): where the next
  // re-join recovers from. An app may keep it to join from there in a later client.
  std::optional<RoomPosition> roomPosition(std::string_view roomId) const;
  SendStatus sendOffer(std::string_view roomId, std::string_view to, std::string_view sdpJson);
  SendStatus sendAnswer(std::string_view roomId, std::string_view to, std::string_view sdpJson);
  // `candidateJson`: an object, or "null" (end of candidates).
  SendStatus sendIce(std::string_view roomId, std::string_view to, std::string_view candidateJson);

  // Any message, as a JSON object with a string `type`, queued like the others (for server
  // extensions). Replies arrive at Handlers::onMessage.
  SendStatus sendRaw(std::string_view json);

  // ---- Observation (snapshots; may be stale by the time you read them) ----
  State state() const;
  std::string connId() const;       // "" until the first session
  TransportKind transport() const;  // the current (or last) session's transport (kWebSocket before any)
  std::size_t queued() const;       // messages waiting in the outbound queue

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `text` as a JSON string literal (quoted and escaped): jsonString("hi") == "\"hi\"".
std::string jsonString(std::string_view text);

}  // namespace wsclient
