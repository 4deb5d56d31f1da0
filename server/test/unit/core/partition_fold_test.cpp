// The fold over a Kafka partition: checkpoints of the records as written hold; a record
// removed, inserted, changed or moved breaks them; a checkpoint standing behind later
// records is still checked; a fold can be stored and continued, and taken up from a
// checkpoint of a fold begun elsewhere.
#include "core/partition_fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsd::chain {
namespace {

std::vector<std::string> recordHashes(int count) {
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) out.push_back(recordHash("record " + std::to_string(i)));
  return out;
}

// The checkpoint a projector that folded `hashes` from `origin` would write.
PartitionCheckpoint checkpointOf(const std::vector<std::string>& hashes, std::int64_t origin = 0) {
  PartitionFold fold(0);
  for (std::size_t i = 0; i < hashes.size(); ++i) fold.fold(origin + static_cast<std::int64_t>(i), hashes[i]);
  return {3, fold.origin(), fold.next() - 1, fold.hash(), std::nullopt};
}

PartitionFold folded(const std::vector<std::string>& hashes, std::int64_t origin = 0) {
  PartitionFold fold;
  for (std::size_t i = 0; i < hashes.size(); ++i) fold.fold(origin + static_cast<std::int64_t>(i), hashes[i]);
  return fold;
}

TEST(PartitionFoldTest, TheRunningHashIsTheDocumentedFoldFromTheGenesis) {
  PartitionFold fold;
  fold.fold(0, recordHash("a"));
  fold.fold(1, recordHash("b"));
  const std::string expected = recordHash(recordHash(std::string(kGenesis) + recordHash("a")) + recordHash("b"));
  EXPECT_EQ(fold.hash(), expected);
  EXPECT_EQ(fold.origin(), 0);
  EXPECT_EQ(fold.next(), 2);
}

TEST(PartitionFoldTest, ACheckpointOfTheRecordsAsWrittenHolds) {
  auto hashes = recordHashes(10);
  EXPECT_EQ(folded(hashes).check(checkpointOf(hashes)), PartitionFold::Check::kHolds);
}

TEST(PartitionFoldTest, ARecordRemovedInsertedChangedOrMovedBreaksTheCheckpoint) {
  const auto hashes = recordHashes(10);
  const auto checkpoint = checkpointOf(hashes);
  auto removed = hashes;
  removed.erase(removed.begin() + 4);
  removed.push_back(recordHash("another"));  // the same count: only the content differs
  auto inserted = hashes;
  inserted.insert(inserted.begin() + 4, recordHash("inserted"));
  inserted.pop_back();
  auto changed = hashes;
  changed[4] = recordHash("changed");
  auto moved = hashes;
  std::swap(moved[3], moved[4]);
  for (const auto& tampered : {removed, inserted, changed, moved}) {
    EXPECT_EQ(folded(tampered).check(checkpoint), PartitionFold::Check::kBroken);
  }
}

TEST(PartitionFoldTest, ACheckpointStandingBehindLaterRecordsIsCheckedAgainstTheFoldAtItsUpTo) {
  auto hashes = recordHashes(10);
  const auto early = checkpointOf({hashes.begin(), hashes.begin() + 6});
  auto fold = folded(hashes);
  EXPECT_EQ(fold.check(early), PartitionFold::Check::kHolds);
  auto forged = early;
  forged.hash = checkpointOf(hashes).hash;
  EXPECT_EQ(fold.check(forged), PartitionFold::Check::kBroken);
  auto ahead = checkpointOf(hashes);
  ahead.upTo = 10;  // a record not folded yet: it cannot stand before it
  EXPECT_EQ(fold.check(ahead), PartitionFold::Check::kBroken);
}

TEST(PartitionFoldTest, ACheckpointFurtherBackThanTheReachIsOutOfReach) {
  auto hashes = recordHashes(10);
  PartitionFold fold(3);
  for (std::size_t i = 0; i < hashes.size(); ++i) fold.fold(static_cast<std::int64_t>(i), hashes[i]);
  EXPECT_EQ(fold.check(checkpointOf({hashes.begin(), hashes.begin() + 4})), PartitionFold::Check::kOutOfReach);
  EXPECT_EQ(fold.check(checkpointOf({hashes.begin(), hashes.begin() + 8})), PartitionFold::Check::kHolds);
}

TEST(PartitionFoldTest, AStoredFoldContinuesAsIfNeverStopped) {
  auto hashes = recordHashes(10);
  auto first = folded({hashes.begin(), hashes.begin() + 5});
  auto restored = PartitionFold::restore(first.stored(), first.next());
  ASSERT_TRUE(restored.has_value());
  for (std::int64_t i = 5; i < 10; ++i) restored->fold(i, hashes[static_cast<std::size_t>(i)]);
  EXPECT_EQ(restored->check(checkpointOf(hashes)), PartitionFold::Check::kHolds);
  EXPECT_FALSE(PartitionFold::restore("0:not a hash", 5).has_value());
  EXPECT_FALSE(PartitionFold::restore("4:" + first.hash(), 2).has_value()) << "an origin past the offset";
}

TEST(PartitionFoldTest, AFoldBegunElsewhereIsTakenUpAndWhatFollowsIsCheckedAgainstIt) {
  auto hashes = recordHashes(12);
  // The verifier starts reading at offset 4 (retention deleted the rest); the projector
  // folded from 0 and checkpointed after offset 7.
  PartitionFold fold;
  for (std::int64_t i = 4; i < 10; ++i) fold.fold(i, hashes[static_cast<std::size_t>(i)]);
  const auto atSeven = checkpointOf({hashes.begin(), hashes.begin() + 8});
  EXPECT_EQ(fold.check(atSeven), PartitionFold::Check::kOtherOrigin);
  ASSERT_TRUE(fold.takeUp(atSeven));
  for (std::int64_t i = 10; i < 12; ++i) fold.fold(i, hashes[static_cast<std::size_t>(i)]);
  EXPECT_EQ(fold.check(checkpointOf(hashes)), PartitionFold::Check::kHolds);
  EXPECT_EQ(fold.check(checkpointOf({hashes.begin(), hashes.begin() + 9})), PartitionFold::Check::kHolds);
}

TEST(PartitionFoldTest, ACheckpointOlderThanWhatIsRememberedCannotBeTakenUp) {
  auto hashes = recordHashes(12);
  PartitionFold fold;
  for (std::int64_t i = 6; i < 12; ++i) fold.fold(i, hashes[static_cast<std::size_t>(i)]);
  EXPECT_FALSE(fold.takeUp(checkpointOf({hashes.begin(), hashes.begin() + 3})));
  EXPECT_EQ(fold.origin(), 6) << "nothing changed";
}

TEST(PartitionFoldTest, ACheckpointEventCarriesItsFieldsAndASignatureOverThem) {
  const auto checkpoint = checkpointOf(recordHashes(3));
  Event e;
  fillPartitionCheckpoint(e, checkpoint, "key");
  EXPECT_EQ(e.type, EventType::kLogPartitionCheckpoint);
  auto decoded = Event::decode(e.encode());
  ASSERT_TRUE(decoded.ok());
  auto read = readPartitionCheckpoint(*decoded);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->partition, 3);
  EXPECT_EQ(read->upTo, 2);
  EXPECT_EQ(read->hash, checkpoint.hash);
  ASSERT_TRUE(read->sig.has_value());
  EXPECT_EQ(*read->sig, partitionCheckpointSignature("key", checkpoint));
  auto moved = checkpoint;
  moved.partition = 2;
  EXPECT_NE(*read->sig, partitionCheckpointSignature("key", moved))
      << "a signature cannot be moved to another partition";

  Event unsigned_;
  fillPartitionCheckpoint(unsigned_, checkpoint, "");
  EXPECT_FALSE(readPartitionCheckpoint(unsigned_)->sig.has_value());
  Event malformed;
  malformed.type = EventType::kLogPartitionCheckpoint;
  malformed.data.AddMember("partition", 1, malformed.alloc());
  EXPECT_FALSE(readPartitionCheckpoint(malformed).has_value());
}

}  // namespace
}  // namespace wsd::chain
