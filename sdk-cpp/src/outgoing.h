// One message on its way out, and the query waiting for its answer.
//
// Ownership: an Outgoing moves from the caller's thread into the outbound queue (under the
// SharedState lock), then to the I/O thread and a transport; a transport that cannot
// deliver it hands it back. A PendingQuery is shared by its Outgoing and the I/O thread's
// QueryBook; only the I/O thread touches its fields after it was queued.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "wsclient/types.h"

namespace wsclient::detail {

using Clock = std::chrono::steady_clock;

// list(), online(uid), the filters, ack() or a room call, and who wants its answer.
struct PendingQuery {
  enum class Kind { kList, kOnline, kUnsub, kSub, kLsunsub, kAck, kRoomJoin, kRoomSend, kRoomHistory };
  Kind kind = Kind::kList;
  std::string uid;                    // kOnline: the uid asked about
  std::string roomId;                 // kRoom*: the room
  bool echo = false;                  // kRoomSend: the message comes back to this session as a RoomMessage
  std::optional<RoomPosition> since;  // kRoomJoin: the position the join recovers from
  std::string text;                   // the query message, to ask again on a new link
  Clock::time_point deadline;
  std::function<void(const Result<ListResult>&)> onList;
  std::function<void(const Result<OnlineResult>&)> onOnline;
  std::function<void(const Result<FilterResult>&)> onFilter;  // kUnsub, kSub, kLsunsub
  std::function<void(const Result<AckResult>&)> onAck;
  std::function<void(const Result<RoomInfo>&)> onRoomJoin;
  std::function<void(const Result<RoomSendResult>&)> onRoomSend;
  std::function<void(const Result<RoomHistoryPage>&)> onRoomHistory;
  bool sent = false;  // written to the current link, answer not yet in
  bool done = false;  // answered, failed or timed out: its callback has run

  // Runs the callback with `status` (once; later calls do nothing).
  void fail(const Status& status);
  // A room_send is not sent twice (the room would number it twice): a link that drops
  // before its answer fails it with kConnectionLost instead.
  bool askAgainOnNewLink() const { return kind != Kind::kRoomSend; }
};

// What the I/O thread must remember when a message leaves (to restore it on a new session).
enum class Intent { kNone, kBind, kJoinRoom, kLeaveRoom };

// Who queued a message: the app (outbound queue, bounded, kept across links) or the SDK
// itself (pongs, pings, re-binds: made again on each link, never requeued).
enum class Origin { kApp, kSdk };

struct Outgoing {
  std::string text;
  Origin origin = Origin::kApp;
  Intent intent = Intent::kNone;
  std::string subject;                  // the uid (kBind) or room id (kJoinRoom, kLeaveRoom)
  std::shared_ptr<PendingQuery> query;  // list()/online(): who waits for the answer
};

}  // namespace wsclient::detail
