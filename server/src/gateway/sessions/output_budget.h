// Output held for clients, bounded in bytes: per session and for the whole process.
//
// Why: a client that stops reading, or a polling session nobody polls, would otherwise
// keep every message meant for it in memory; a message count alone lets a few such
// clients receiving large multicasts take the process to hundreds of megabytes. Sessions
// count the bytes of each rendered message as they queue it (or keep it for an SSE
// resume) and release them once it is written or dropped. A message shared by a fan-out
// counts once per session holding it: an upper bound of the memory it takes.
//
// A session still over its own budget when the gateway checks (every tick, four times a
// second) is ended (close 1008 `output_over_budget`, or `slow_consumer` when it holds too
// many messages, however small). Checking at the tick rather than at each message lets a
// reading client take a burst larger than its budget (a bind that hands over a full
// inbox, a fan-out of large messages): by the next tick it has read them. The process
// budget is the hard bound, checked at every message: past it, the sessions holding the
// most are ended (close 1013 `server_output_full`) until it is back under, so the slowest
// readers go, not whoever happened to receive the next message. Either way the direct messages a session had not
// received are stored for its uid (message.undelivered events), so its client gets them
// on its next bind.
//
// Threads: gateway thread only.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace wsd {

class Session;
class SessionRegistry;

class OutputBudget {
 public:
  // 0 for any leaves it unbounded.
  struct Limits {
    std::size_t perSession = 0;          // bytes one session may hold
    std::size_t perProcess = 0;          // bytes all sessions of the gateway may hold
    std::size_t messagesPerSession = 0;  // messages one session may hold
  };
  enum class Over { kSessionMessages, kSession, kProcess };
  // Ends a session over budget (gateway/sessions/output_overflow.h); it must release the session's
  // bytes (takeUndelivered) and close it.
  using EndSession = std::function<void(Session&, Over)>;
  // Keeps a direct message meant for a session ended over budget (conn of project) for its
  // uid instead: one that reached the session after it was ended, or one applied after it
  // left this gateway but before its conn.close was (SessionRegistry::leavingProject).
  using Spill = std::function<void(const std::string& project, const std::string& conn, const std::string& rendered)>;

  explicit OutputBudget(const SessionRegistry& sessions) : sessions_(sessions) {}

  void configure(Limits limits, EndSession end, Spill spill);
  void spill(const std::string& project, const std::string& conn, const std::string& rendered) const {
    if (spill_) spill_(project, conn, rendered);
  }
  const Limits& limits() const { return limits_; }

  void add(std::size_t bytes) {
    held_ += bytes;
    if (held_ > peak_) peak_ = held_;
  }
  void remove(std::size_t bytes) { held_ -= bytes; }
  // Bytes held by every session of this gateway (the wsd_held_output_bytes gauge).
  std::size_t held() const { return held_; }

  // After a session queued a message: while the process is over its budget, ends the
  // sessions holding the most. O(1) unless the process is over; then O(sessions log
  // sessions), a price paid only under overload.
  void enforce();
  // Ends `session` if it holds more than its own budget (the gateway's tick). O(1).
  void check(Session& session);
  // The session budget a queue of `messages` holding `bytes` breaks, if any: the one
  // rule for queues held here and for shared queues held in Redis.
  std::optional<Over> overSessionBudget(std::size_t messages, std::size_t bytes) const;
  // Once output that was held has mostly gone (a load ended, slow readers were dropped),
  // gives the freed memory back to the system: glibc keeps freed blocks in its arenas, so
  // without this a process stays at its peak size. Called from the gateway's tick; costs a
  // walk of the heap, hence only after at least kTrimAfterBytes were released.
  void trimIfDrained();
  static constexpr std::size_t kTrimAfterBytes = std::size_t{16} << 20;

 private:
  void relieveProcess();

  const SessionRegistry& sessions_;
  Limits limits_;
  EndSession end_;
  Spill spill_;
  std::size_t held_ = 0;
  std::size_t peak_ = 0;  // the most held since the last trim
};

}  // namespace wsd
