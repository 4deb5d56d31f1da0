// The queries (list, online, filters, ack, room calls) the I/O thread waits answers for. wsd answers a connection's
// messages in order and its answers carry no request id, so an answer goes to the oldest
// query of its kind (and, for online_result, its uid) that was written to the link.
//
// Locality: the I/O thread only.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "outgoing.h"

namespace wsclient::detail {

class QueryBook {
 public:
  void add(std::shared_ptr<PendingQuery> query) { queries_.push_back(std::move(query)); }
  // Runs the oldest matching query's callback; false when none waits.
  bool answerList(const ListResult& result);
  bool answerOnline(const OnlineResult& result);
  bool answerFilter(const FilterResult& result);
  bool answerAck(const AckResult& result);
  // The oldest written room call of `kind` for `roomId`, marked done (its callback not run:
  // the engine updates its room positions first); nullptr when none waits.
  std::shared_ptr<PendingQuery> takeRoom(PendingQuery::Kind kind, const std::string& roomId);
  // An `error` names no request: it fails the oldest written room call that can fail
  // with its code (docs/protocol.md, "Room messages, history and recovery"). False when none.
  bool failRoomCall(const ServerError& error);
  // The link is gone: written but unanswered queries, oldest first, to ask again (those not
  // asked twice fail kConnectionLost).
  std::vector<Outgoing> takeUnanswered();
  // Fails (kTimeout) every query past its deadline.
  void expire(Clock::time_point now);
  std::optional<Clock::time_point> nextDeadline() const;
  void failAll(const Status& status);
  std::size_t size() const { return queries_.size(); }

 private:
  std::shared_ptr<PendingQuery> oldestSent(PendingQuery::Kind kind, const std::string* uid) const;
  void prune();

  std::deque<std::shared_ptr<PendingQuery>> queries_;  // in the order they were asked
};

}  // namespace wsclient::detail
