// The time-ordered merge of a topic's partitions.
#include "partition_merger.h"

#include "test_events.h"

namespace wsd::wslog {
namespace {

BufferedRecord at(std::int32_t partition, std::int64_t offset, std::int64_t ts) {
  return {{partition, offset}, testing::encode({"node.alive", "", "", ts}), ts};
}

std::vector<std::string> drain(PartitionMerger& m) {
  std::vector<std::string> out;
  while (auto r = m.pop()) out.push_back(positionText(r->position, true));
  return out;
}

TEST(PartitionMerger, MergesByTimeKeepingEachPartitionsOrder) {
  PartitionMerger m({0, 1});
  m.push(at(0, 0, 10));
  m.push(at(0, 1, 30));
  m.push(at(0, 2, 20));  // out of time order within its partition: stays after 0:1
  m.push(at(1, 0, 15));
  m.push(at(1, 1, 25));
  m.finish(0);
  m.finish(1);
  EXPECT_EQ(drain(m), (std::vector<std::string>{"0:0", "1:0", "1:1", "0:1", "0:2"}));
  EXPECT_TRUE(m.done());
}

TEST(PartitionMerger, WaitsForAHeadFromEveryUnfinishedPartition) {
  PartitionMerger m({0, 1});
  m.push(at(0, 0, 10));
  EXPECT_FALSE(m.pop().has_value());
  EXPECT_EQ(m.starved(), std::vector<std::int32_t>{1});
  m.push(at(1, 0, 5));
  EXPECT_EQ(drain(m), std::vector<std::string>{"1:0"});  // then 0:0 must wait for partition 1 again
  m.finish(1);
  EXPECT_EQ(drain(m), std::vector<std::string>{"0:0"});
  EXPECT_FALSE(m.done());
  m.finish(0);
  EXPECT_TRUE(m.done());
}

TEST(PartitionMerger, TiesGoToTheLowestPartition) {
  PartitionMerger m({0, 1, 2});
  m.push(at(2, 0, 7));
  m.push(at(1, 0, 7));
  m.push(at(0, 0, 7));
  for (int p : {0, 1, 2}) m.finish(p);
  EXPECT_EQ(drain(m), (std::vector<std::string>{"0:0", "1:0", "2:0"}));
}

TEST(EventTime, ReadsTheTopLevelTsWhereverItIs) {
  EXPECT_EQ(eventTime(testing::encode({"node.alive", "", "", 1714572000000})), 1714572000000);
  EXPECT_EQ(eventTime(R"({"data":{"ts":5,"x":[{"ts":6}]},"ts":7})"), 7);
  EXPECT_EQ(eventTime(R"({"ts":"soon","v":1})"), 0);
  EXPECT_EQ(eventTime(R"({"v":1})"), 0);
  EXPECT_EQ(eventTime("not json"), 0);
}

TEST(PartitionMerger, CountsWhatEachPartitionHasBuffered) {
  PartitionMerger m({0, 1});
  m.push(at(1, 0, 1));
  m.push(at(1, 1, 2));
  EXPECT_EQ(m.buffered(1), 2u);
  EXPECT_EQ(m.buffered(0), 0u);
  EXPECT_EQ(m.buffered(9), 0u);
}

}  // namespace
}  // namespace wsd::wslog
