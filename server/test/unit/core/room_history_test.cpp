// The pure rules of room recovery and history pages (core/room_history.h).
#include "core/room_history.h"

#include <gtest/gtest.h>

namespace wsd::room_history {
namespace {

std::vector<store::RoomMessage> retained(std::int64_t from, std::int64_t to, std::int64_t ts = 1000) {
  std::vector<store::RoomMessage> out;
  for (auto o = from; o <= to; ++o) out.push_back({o, "id" + std::to_string(o), "u", "1", ts + o});
  return out;
}

std::vector<std::int64_t> offsets(const std::vector<store::RoomMessage>& messages) {
  std::vector<std::int64_t> out;
  for (const auto& m : messages) out.push_back(m.offset);
  return out;
}

const store::RoomStream kStream{10, "E"};

TEST(RoomRecovery, AllMissedRetainedIsRecoveredWithExactlyThoseInOrder) {
  auto r = recover(kStream, retained(3, 10), {5, "E"});
  EXPECT_TRUE(r.recovered);
  EXPECT_TRUE(r.reason.empty());
  EXPECT_EQ(offsets(r.messages), (std::vector<std::int64_t>{6, 7, 8, 9, 10}));
}

TEST(RoomRecovery, NothingMissedIsRecoveredEvenWithNothingRetained) {
  auto r = recover(kStream, {}, {10, "E"});
  EXPECT_TRUE(r.recovered);
  EXPECT_TRUE(r.messages.empty());
}

TEST(RoomRecovery, AGapBeforeTheOldestRetainedIsHistoryTrimmedWithWhatIsRetained) {
  auto r = recover(kStream, retained(7, 10), {5, "E"});
  EXPECT_FALSE(r.recovered);
  EXPECT_EQ(r.reason, "history_trimmed");
  EXPECT_EQ(offsets(r.messages), (std::vector<std::int64_t>{7, 8, 9, 10}));
  auto none = recover(kStream, {}, {5, "E"});
  EXPECT_EQ(none.reason, "history_trimmed");
}

TEST(RoomRecovery, AnotherEpochOrAFutureOffsetGetsNothing) {
  auto epoch = recover(kStream, retained(1, 10), {5, "F"});
  EXPECT_EQ(epoch.reason, "epoch_changed");
  EXPECT_TRUE(epoch.messages.empty());
  auto future = recover(kStream, retained(1, 10), {11, "E"});
  EXPECT_EQ(future.reason, "unknown_offset");
  EXPECT_TRUE(future.messages.empty());
}

TEST(RoomRecovery, ThePositionBeforeTheFirstMessageMatchesAnyEpoch) {
  EXPECT_TRUE(sameEpoch(kStream, {0, ""}));
  EXPECT_FALSE(sameEpoch(kStream, {3, ""}));
  EXPECT_TRUE(sameEpoch({0, ""}, {0, ""}));
  auto r = recover(kStream, retained(1, 10), {0, ""});
  EXPECT_TRUE(r.recovered);
  EXPECT_EQ(r.messages.size(), 10u);
}

TEST(RoomRecovery, ReadsIgnoreWhatIsOlderThanTheTtlAtTheReadingEventsTime) {
  auto kept = unexpired(retained(1, 10, 1000), 1015, 10);  // ts 1001..1010; keep ts >= 1005
  EXPECT_EQ(offsets(kept), (std::vector<std::int64_t>{5, 6, 7, 8, 9, 10}));
}

TEST(RoomHistoryPages, NewestAfterAndBeforeSayWhetherMoreLieBeyond) {
  auto all = retained(1, 25);
  auto newest = room_history::newest(all, 10);
  EXPECT_EQ(offsets(newest.messages).front(), 16);
  EXPECT_TRUE(newest.hasMore);
  EXPECT_FALSE(room_history::newest(all, 25).hasMore);
  auto firstPage = after(all, 0, 10);
  EXPECT_EQ(offsets(firstPage.messages).back(), 10);
  EXPECT_TRUE(firstPage.hasMore);
  auto lastPage = after(all, 20, 10);
  EXPECT_EQ(offsets(lastPage.messages), (std::vector<std::int64_t>{21, 22, 23, 24, 25}));
  EXPECT_FALSE(lastPage.hasMore);
  auto older = before(all, 6, 10);
  EXPECT_EQ(offsets(older.messages), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_FALSE(older.hasMore);
  EXPECT_TRUE(before(all, 16, 10).hasMore);
}

}  // namespace
}  // namespace wsd::room_history
