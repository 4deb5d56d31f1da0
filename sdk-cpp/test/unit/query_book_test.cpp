// Matching answers to queries (query_book.h): oldest first, by uid for online, only once
// written; timeouts; asking again after a lost link.
#include "query_book.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

std::shared_ptr<PendingQuery> onlineQuery(const std::string& uid, std::vector<std::string>& log) {
  auto q = std::make_shared<PendingQuery>();
  q->kind = PendingQuery::Kind::kOnline;
  q->uid = uid;
  q->text = "online " + uid;
  q->deadline = Clock::now() + std::chrono::hours(1);
  q->onOnline = [&log, uid](const Result<OnlineResult>& r) {
    log.push_back(uid + (r.ok() ? (r.value().online ? ":yes" : ":no") : ":" + std::string(wireName(r.status().code))));
  };
  return q;
}

TEST(QueryBook, AnswersGoToTheOldestWrittenQueryOfThatUid) {
  std::vector<std::string> log;
  QueryBook book;
  auto bob1 = onlineQuery("bob", log);
  auto carol = onlineQuery("carol", log);
  auto bob2 = onlineQuery("bob", log);
  for (auto& q : {bob1, carol, bob2}) {
    q->sent = true;
    book.add(q);
  }
  EXPECT_TRUE(book.answerOnline(OnlineResult{"carol", true, ""}));
  EXPECT_TRUE(book.answerOnline(OnlineResult{"bob", false, ""}));
  EXPECT_TRUE(book.answerOnline(OnlineResult{"bob", true, ""}));
  EXPECT_FALSE(book.answerOnline(OnlineResult{"bob", true, ""}));
  EXPECT_EQ(log, (std::vector<std::string>{"carol:yes", "bob:no", "bob:yes"}));
  EXPECT_EQ(book.size(), 0U);
}

TEST(QueryBook, UnwrittenQueriesGetNoAnswer) {
  std::vector<std::string> log;
  QueryBook book;
  book.add(onlineQuery("bob", log));
  EXPECT_FALSE(book.answerOnline(OnlineResult{"bob", true, ""}));
}

TEST(QueryBook, ExpiredQueriesFailWithTimeout) {
  std::vector<std::string> log;
  QueryBook book;
  auto q = onlineQuery("bob", log);
  q->deadline = Clock::now();
  book.add(q);
  EXPECT_EQ(book.nextDeadline(), q->deadline);
  book.expire(Clock::now());
  EXPECT_EQ(log, std::vector<std::string>{"bob:timeout"});
  EXPECT_FALSE(book.nextDeadline());
}

TEST(QueryBook, ALostLinkHandsBackWrittenUnansweredQueries) {
  std::vector<std::string> log;
  QueryBook book;
  auto written = onlineQuery("bob", log);
  written->sent = true;
  book.add(written);
  book.add(onlineQuery("carol", log));
  auto again = book.takeUnanswered();
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].text, "online bob");
  EXPECT_FALSE(written->sent);
}

TEST(QueryBook, FailAllRunsEveryCallbackOnce) {
  std::vector<std::string> log;
  QueryBook book;
  auto q = onlineQuery("bob", log);
  book.add(q);
  book.failAll(Status{ErrorCode::kClosed, "closed"});
  q->fail(Status{ErrorCode::kClosed, "again"});
  EXPECT_EQ(log, std::vector<std::string>{"bob:closed"});
}

}  // namespace
}  // namespace wsclient::detail
