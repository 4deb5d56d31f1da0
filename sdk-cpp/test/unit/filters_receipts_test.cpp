// The SDK's parts of event filters and receipts: encoding unsub/sub/lsunsub/ack and signed
// binds, decoding their answers, answering the right query, and remembering recent ids.
#include <gtest/gtest.h>

#include "client_messages.h"
#include "query_book.h"
#include "recent_ids.h"
#include "server_messages.h"

namespace wsclient::detail {
namespace {

TEST(FilterReceiptMessages, EncodeFiltersAcksAndSignedBinds) {
  EXPECT_EQ(encodeFilter("unsub", {"online", "offline"}), R"({"type":"unsub","events":["online","offline"]})");
  EXPECT_EQ(encodeFilter("sub", {"room_member_left"}), R"({"type":"sub","events":["room_member_left"]})");
  EXPECT_EQ(encodeLsunsub(), R"({"type":"lsunsub"})");
  EXPECT_EQ(encodeAck({"01A", "01B"}), R"({"type":"ack","ids":["01A","01B"]})");
  const std::string sig(64, 'a');
  EXPECT_EQ(encodeSignedBind("u", 1767225600, sig),
            R"({"type":"bind","uid":"u","exp":1767225600,"sig":")" + sig + R"("})");
}

TEST(FilterReceiptMessages, RefuseUnknownKindsEmptyListsAndBadSignatures) {
  EXPECT_FALSE(encodeFilter("unsub", {}));
  EXPECT_FALSE(encodeFilter("unsub", {"direct"}));
  EXPECT_FALSE(encodeAck({}));
  EXPECT_FALSE(encodeAck({""}));
  EXPECT_FALSE(encodeAck(std::vector<std::string>(1001, "id")));
  EXPECT_FALSE(encodeSignedBind("u", 1, "abc"));
  EXPECT_FALSE(encodeSignedBind("u", 1, std::string(64, 'g')));
  EXPECT_FALSE(encodeSignedBind("u", -1, std::string(64, 'a')));
}

TEST(FilterReceiptMessages, DecodeTheAnswers) {
  auto unsub = std::get<FilterResult>(decodeServerMessage(R"({"type":"unsub_success","events":["offline"]})").event);
  EXPECT_EQ(unsub.kind, FilterResult::Kind::kUnsub);
  EXPECT_EQ(unsub.events, std::vector<std::string>{"offline"});
  EXPECT_EQ(std::get<FilterResult>(decodeServerMessage(R"({"type":"sub_success","events":[]})").event).kind,
            FilterResult::Kind::kSub);
  EXPECT_EQ(std::get<FilterResult>(decodeServerMessage(R"({"type":"lsunsub","events":[]})").event).kind,
            FilterResult::Kind::kList);
  auto ack = std::get<AckResult>(decodeServerMessage(R"({"type":"ack_success","ids":["01A"]})").event);
  EXPECT_EQ(ack.ids, std::vector<std::string>{"01A"});
}

TEST(FilterReceiptMessages, AnswersGoToTheOldestWrittenQueryOfTheirKind) {
  QueryBook book;
  std::vector<std::string> log;
  auto query = [&](PendingQuery::Kind kind, const std::string& name) {
    auto q = std::make_shared<PendingQuery>();
    q->kind = kind;
    q->sent = true;
    q->deadline = Clock::now() + std::chrono::hours(1);
    q->onFilter = [&log, name](const Result<FilterResult>& r) { log.push_back(name + ":" + std::to_string(r.ok())); };
    q->onAck = [&log, name](const Result<AckResult>& r) { log.push_back(name + ":" + std::to_string(r.ok())); };
    book.add(q);
  };
  query(PendingQuery::Kind::kUnsub, "unsub");
  query(PendingQuery::Kind::kLsunsub, "list");
  query(PendingQuery::Kind::kAck, "ack");
  EXPECT_TRUE(book.answerAck(AckResult{}));
  EXPECT_TRUE(book.answerFilter(FilterResult{FilterResult::Kind::kList, {}, ""}));
  EXPECT_FALSE(book.answerFilter(FilterResult{FilterResult::Kind::kSub, {}, ""}));
  EXPECT_TRUE(book.answerFilter(FilterResult{FilterResult::Kind::kUnsub, {}, ""}));
  EXPECT_EQ(log, (std::vector<std::string>{"ack:1", "list:1", "unsub:1"}));
}

TEST(RecentIds, RepeatsWithinTheWindowAreRefusedOlderOnesForgotten) {
  RecentIds ids(2);
  EXPECT_TRUE(ids.add("a"));
  EXPECT_FALSE(ids.add("a"));
  EXPECT_TRUE(ids.add("b"));
  EXPECT_TRUE(ids.add("c"));  // forgets a
  EXPECT_TRUE(ids.add("a"));
  RecentIds none(0);
  EXPECT_TRUE(none.add("x"));
  EXPECT_TRUE(none.add("x"));
}

}  // namespace
}  // namespace wsclient::detail
