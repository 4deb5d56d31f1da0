// O(n) scans over the waiting queries: n is what an app has in flight at once (a handful).
#include "query_book.h"

#include <algorithm>

namespace wsclient::detail {

void PendingQuery::fail(const Status& status) {
  if (done) return;
  done = true;
  if (kind == Kind::kList && onList) onList(Result<ListResult>(status));
  if (kind == Kind::kOnline && onOnline) onOnline(Result<OnlineResult>(status));
  if ((kind == Kind::kUnsub || kind == Kind::kSub || kind == Kind::kLsunsub) && onFilter) {
    onFilter(Result<FilterResult>(status));
  }
  if (kind == Kind::kAck && onAck) onAck(Result<AckResult>(status));
  if (kind == Kind::kRoomJoin && onRoomJoin) onRoomJoin(Result<RoomInfo>(status));
  if (kind == Kind::kRoomSend && onRoomSend) onRoomSend(Result<RoomSendResult>(status));
  if (kind == Kind::kRoomHistory && onRoomHistory) onRoomHistory(Result<RoomHistoryPage>(status));
}

namespace {

// Which room calls an error code can answer (the server's refusals of each).
bool canFail(PendingQuery::Kind kind, ErrorCode code) {
  using K = PendingQuery::Kind;
  switch (code) {
    case ErrorCode::kNotInRoom: return kind == K::kRoomSend || kind == K::kRoomHistory;
    case ErrorCode::kEpochChanged: return kind == K::kRoomHistory;
    case ErrorCode::kTooManyRooms: return kind == K::kRoomJoin;
    case ErrorCode::kNotBound:
    case ErrorCode::kInvalidMessage:
    case ErrorCode::kRateLimited:
    case ErrorCode::kLogUnavailable: return true;
    default: return false;
  }
}

bool isRoomCall(PendingQuery::Kind kind) {
  using K = PendingQuery::Kind;
  return kind == K::kRoomJoin || kind == K::kRoomSend || kind == K::kRoomHistory;
}

}  // namespace

std::shared_ptr<PendingQuery> QueryBook::oldestSent(PendingQuery::Kind kind, const std::string* uid) const {
  for (const auto& query : queries_) {
    if (query->done || !query->sent || query->kind != kind) continue;
    if (uid == nullptr || query->uid == *uid) return query;
  }
  return nullptr;
}

bool QueryBook::answerList(const ListResult& result) {
  auto query = oldestSent(PendingQuery::Kind::kList, nullptr);
  if (!query) return false;
  query->done = true;
  if (query->onList) query->onList(Result<ListResult>(result));
  prune();
  return true;
}

bool QueryBook::answerOnline(const OnlineResult& result) {
  auto query = oldestSent(PendingQuery::Kind::kOnline, &result.uid);
  if (!query) return false;
  query->done = true;
  if (query->onOnline) query->onOnline(Result<OnlineResult>(result));
  prune();
  return true;
}

bool QueryBook::answerFilter(const FilterResult& result) {
  using K = PendingQuery::Kind;
  const K kind = result.kind == FilterResult::Kind::kUnsub ? K::kUnsub
                 : result.kind == FilterResult::Kind::kSub ? K::kSub
                                                           : K::kLsunsub;
  auto query = oldestSent(kind, nullptr);
  if (!query) return false;
  query->done = true;
  if (query->onFilter) query->onFilter(Result<FilterResult>(result));
  prune();
  return true;
}

bool QueryBook::answerAck(const AckResult& result) {
  auto query = oldestSent(PendingQuery::Kind::kAck, nullptr);
  if (!query) return false;
  query->done = true;
  if (query->onAck) query->onAck(Result<AckResult>(result));
  prune();
  return true;
}

std::shared_ptr<PendingQuery> QueryBook::takeRoom(PendingQuery::Kind kind, const std::string& roomId) {
  for (const auto& query : queries_) {
    if (query->done || !query->sent || query->kind != kind || query->roomId != roomId) continue;
    auto taken = query;
    taken->done = true;
    prune();
    return taken;
  }
  return nullptr;
}

bool QueryBook::failRoomCall(const ServerError& error) {
  for (const auto& query : queries_) {
    if (query->done || !query->sent || !isRoomCall(query->kind) || !canFail(query->kind, error.code)) continue;
    query->fail(Status{error.code, error.msg});
    prune();
    return true;
  }
  return false;
}

std::vector<Outgoing> QueryBook::takeUnanswered() {
  std::vector<Outgoing> again;
  for (const auto& query : queries_) {
    if (query->done || !query->sent) continue;
    query->sent = false;
    if (!query->askAgainOnNewLink()) {
      query->fail(Status{ErrorCode::kConnectionLost, "the link dropped before the answer came"});
      continue;
    }
    const Intent intent = query->kind == PendingQuery::Kind::kRoomJoin ? Intent::kJoinRoom : Intent::kNone;
    again.push_back(Outgoing{query->text, Origin::kApp, intent, query->roomId, query});
  }
  prune();
  return again;
}

void QueryBook::expire(Clock::time_point now) {
  for (const auto& query : queries_) {
    if (!query->done && query->deadline <= now) {
      query->fail(Status{ErrorCode::kTimeout, "no answer within the request timeout"});
    }
  }
  prune();
}

std::optional<Clock::time_point> QueryBook::nextDeadline() const {
  std::optional<Clock::time_point> next;
  for (const auto& query : queries_) {
    if (!query->done && (!next || query->deadline < *next)) next = query->deadline;
  }
  return next;
}

void QueryBook::failAll(const Status& status) {
  for (const auto& query : queries_) query->fail(status);
  queries_.clear();
}

void QueryBook::prune() {
  queries_.erase(std::remove_if(queries_.begin(), queries_.end(), [](const auto& q) { return q->done; }),
                 queries_.end());
}

}  // namespace wsclient::detail
