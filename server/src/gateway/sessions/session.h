// A session: one client connection as the gateway holds it, whatever its transport.
// The transport-specific subclasses (ws_session, sse_session, poll_session) decide how
// queued messages reach the client and how the connection ends.
//
// Threads: gateway thread only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/event_filter.h"
#include "core/server_messages.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/sessions/rate_limiter.h"

namespace wsd {

enum class Transport { kWebSocket, kSse, kPoll };
enum class Mode { kShort, kLong };

const char* transportName(Transport transport);

struct SessionIdentity {
  std::string conn;
  std::string project;
  std::string token;
  Transport transport = Transport::kWebSocket;
  Mode mode = Mode::kShort;
  // SSE and polling: what proves that a request comes from this session's client
  // (core/session_secret.h). Empty for WebSocket sessions, whose socket is the proof, and
  // for sessions another gateway holds.
  std::string secret;
};

class OutputBudget;
class SessionList;

// The lists a session can be in (session_list.h), each with its slot in the session.
namespace session_lists {
inline constexpr std::uint32_t kNotListed = UINT32_MAX;
inline constexpr std::size_t kProject = 0;                                   // every session of its project
inline constexpr std::size_t kWantingKind = 1;                               // + a filter kind's bit: those wanting it
inline constexpr std::size_t kTicking = kWantingKind + filter_kind::kCount;  // what the tick visits
inline constexpr std::size_t kCount = kTicking + 1;
}  // namespace session_lists

class Session {
 public:
  Session(SessionIdentity identity, RateLimiter limiter) : identity_(std::move(identity)), limiter_(limiter) {}
  virtual ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const SessionIdentity& identity() const { return identity_; }
  const std::string& conn() const { return identity_.conn; }
  const std::string& project() const { return identity_.project; }

  // Queues one server message for the client (and counts it, see countSentInto). Its
  // `connected` message tells the client its secret, the only message that is its alone.
  // May end the session, or others, over their output budget (output_budget.h).
  void send(server_message::Text message) {
    const std::size_t typeIndex = serverMessageTypeIndex(*message);
    send(std::move(message), typeIndex);
  }
  // The same, for a message whose type index the caller knows: a fan-out reads it once
  // for all the sessions it reaches.
  void send(server_message::Text message, std::size_t typeIndex);
  // Where send() counts messages by type: the registry sets it for the sessions it holds
  // (a RemoteSession's messages are counted by the gateway that holds its stream).
  void countSentInto(metrics::IndexedCounter* counter) { sentCounter_ = counter; }
  // Where the bytes this session holds are counted and bounded; set by the registry.
  void holdOutputIn(OutputBudget* budget) { output_ = budget; }
  // Bytes of rendered messages this session holds for its client: queued, or kept for
  // an SSE resume.
  std::size_t heldBytes() const { return heldBytes_; }
  std::size_t heldMessages() const { return heldMessages_; }
  // Takes the messages queued and not yet written to the client, oldest first, releasing
  // their bytes: a session ended over its budget hands them over, so its direct messages
  // can be kept for its uid.
  virtual std::vector<server_message::Text> takeUndelivered() { return {}; }
  // From now on direct messages for this session go to its uid's inbox (the budget's
  // spill), not to its client: it was ended over its budget.
  void spillFromNowOn() { spilling_ = true; }
  bool spilling() const { return spilling_; }
  // Ends the connection from the server side: what is queued goes first, then the close
  // (a WebSocket close frame, or a final `closed` message on SSE and polling).
  virtual void close(int code, const std::string& reason) = 0;
  // Transport timers (resume windows, held polls). May end, and so destroy, the session.
  virtual void onTick(std::int64_t /*nowMs*/) {}
  // Whether the gateway's tick has anything to do for it: a heartbeat (mode=long), the
  // timers of SSE and polling, held output to check against its budget, a close under
  // way. An idle WebSocket connection has none, so the tick costs nothing per idle
  // connection (SessionRegistry::forEachTicking).
  bool needsTicks() const {
    return identity_.mode == Mode::kLong || identity_.transport != Transport::kWebSocket || heldMessages_ > 0 ||
           closing;
  }
  // Where the session puts itself when it starts needing ticks; set by the registry.
  void tickIn(SessionList* ticking) { ticking_ = ticking; }
  // The client answered a heartbeat ping.
  virtual void pongReceived() { unansweredPings = 0; }

  // The uid this connection acts as (set when it sends bind; empty before).
  std::string uid;
  // Whether `uid` may trail a bind already in the log: true for a session another
  // gateway holds, whose bind this one learns by reading the log (remote_session.h).
  virtual bool uidMayTrail() const { return false; }
  // The kinds of notices the client unsubscribed from, as its last applied conn.filter
  // left them (learnt in EventPipeline::route, whichever gateway decided the event, and
  // set through SessionRegistry::refilter, which keeps the project's index of who wants
  // what).
  FilterMask unsubscribed() const { return unsubscribed_; }
  // Whether the client wants a delivery of this kind.
  bool wants(FilterMask kind) const { return (kind & unsubscribed_) == 0; }
  // True once its conn.open event was applied: from then on it receives project-wide
  // messages, so it never sees one that precedes its own `connected` in the log.
  bool opened = false;
  // True once close() was called; no more client actions are taken.
  bool closing = false;
  // True once its conn.close is in the log (GatewayContext::logSessionEnd).
  bool endLogged = false;
  // Whether the session must tell its client it ended before its conn.close is logged: a
  // polling session whose queue is shared in Redis (poll_session.h) hands `closed` out
  // through any gateway, which must find it there once it applies the conn.close.
  virtual bool tellsItsEndBeforeLoggingIt() const { return false; }
  // True once the registry removed it; it is freed when the current callback returns.
  bool ended = false;

  RateLimiter& limiter() { return limiter_; }

  // Heartbeat (mode=long): pings sent since the last pong.
  int unansweredPings = 0;
  std::int64_t nextPingAtMs = 0;

 protected:
  // How the transport queues or forwards one message.
  virtual void enqueue(server_message::Text message) = 0;
  // Counts one message sent; for a transport that queues a message other than through
  // send().
  void countSent(const std::string& message) {
    if (sentCounter_ != nullptr) sentCounter_->add(serverMessageTypeIndex(message));
  }
  // What the transports call as a rendered message of `bytes` enters and leaves their
  // keeping.
  void holdMessage(std::size_t bytes);
  void releaseMessage(std::size_t bytes);
  // Something the tick must see happened (a close began): it visits the session from now
  // until needsTicks() is false again.
  void needTicks();

 private:
  SessionIdentity identity_;
  RateLimiter limiter_;
  metrics::IndexedCounter* sentCounter_ = nullptr;  // by serverMessageTypeIndex
  OutputBudget* output_ = nullptr;
  std::size_t heldBytes_ = 0;
  std::size_t heldMessages_ = 0;
  bool spilling_ = false;
  SessionList* ticking_ = nullptr;
  // Kept by ProjectSessions, the filter's one writer (project_sessions.h).
  friend class ProjectSessions;
  FilterMask unsubscribed_ = filter_kind::kNone;
  // The session's place in each list it can be in (session_list.h).
  friend class SessionList;
  std::array<std::uint32_t, session_lists::kCount> listSlots_ = notListedAnywhere();
  static constexpr std::array<std::uint32_t, session_lists::kCount> notListedAnywhere() {
    std::array<std::uint32_t, session_lists::kCount> slots{};
    slots.fill(session_lists::kNotListed);
    return slots;
  }
};

}  // namespace wsd
