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
}

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

std::vector<Outgoing> QueryBook::takeUnanswered() {
  std::vector<Outgoing> again;
  for (const auto& query : queries_) {
    if (query->done || !query->sent) continue;
    query->sent = false;
    again.push_back(Outgoing{query->text, Origin::kApp, Intent::kNone, "", query});
  }
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
