// A Kafka topic's chains: two producers' chains interleaved in one partition verify clean,
// and each kind of tampering (a changed byte, a removed record, two of one chain swapped,
// an inserted copy, a record without a link, a tail cut after a checkpoint, a forged
// closing) is found and located by partition, offset, chain and seq. What no chain can
// see (a chain removed whole, records of two chains swapped) the partition checkpoints
// find.
#include "core/topic_chains.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace wsd::chain {
namespace {

constexpr const char* kKey = "operator key";

struct Stored {
  std::int32_t partition;
  std::string payload;
};

class TopicChainsTest : public ::testing::Test {
 protected:
  // One producer's chain in `partition`: its opening checkpoint, `count` events and a
  // checkpoint after every `every`-th, and its closing checkpoint when `close`.
  struct Producer {
    ChainWriter writer;
    std::int32_t partition;
  };

  void checkpoint(Producer& p, bool final) {
    Event c;
    c.id = "c" + std::to_string(p.writer.nextSeq());
    c.type = EventType::kLogCheckpoint;
    fillChainCheckpoint(c, p.writer, kKey, final);
    records.push_back({p.partition, p.writer.link(c)});
  }

  void event(Producer& p, const std::string& id) {
    Event e;
    e.id = id;
    e.project = "demo";
    e.node = p.writer.chain();
    e.type = EventType::kProjectCreate;
    records.push_back({p.partition, p.writer.link(e)});
  }

  // Two gateways taking turns in partition 0, checkpointing every 3 of their records, then
  // stopping (closing their chains, unless not `close`); a third producer in partition 1.
  void writeTopic(bool close = true) {
    for (auto* p : {&a, &b, &c}) checkpoint(*p, false);
    for (int i = 0; i < 6; ++i) {
      for (auto* p : {&a, &b}) {
        event(*p, p->writer.chain() + "-" + std::to_string(i));
        if (i % 3 == 2) checkpoint(*p, false);
      }
      event(c, "c-" + std::to_string(i));
    }
    if (close) {
      for (auto* p : {&a, &b, &c}) checkpoint(*p, true);
    }
  }

  // A projector's partition checkpoint in partition 0, vouching for all of it but the last
  // `unread` records (appended after what it had read).
  void partitionCheckpoint(std::size_t unread = 0, std::string_view key = kKey) {
    std::vector<std::string> zero;
    for (const auto& r : records) {
      if (r.partition == 0) zero.push_back(r.payload);
    }
    PartitionFold fold(0);
    for (std::size_t i = 0; i + unread < zero.size(); ++i) fold.fold(static_cast<std::int64_t>(i), recordHash(zero[i]));
    Event e;
    e.id = "pc" + std::to_string(zero.size());
    e.node = "projector-1";
    fillPartitionCheckpoint(e, {0, 0, fold.next() - 1, fold.hash(), std::nullopt}, key);
    records.push_back({0, e.encode()});
  }

  // Partition 0 with a partition checkpoint after the third round and one at the end.
  void writeSealedTopic() {
    for (auto* p : {&a, &b, &c}) checkpoint(*p, false);
    for (int i = 0; i < 6; ++i) {
      for (auto* p : {&a, &b}) event(*p, p->writer.chain() + "-" + std::to_string(i));
      event(c, "c-" + std::to_string(i));
      if (i == 2) partitionCheckpoint(2);  // two records were appended after what it read
    }
    for (auto* p : {&a, &b, &c}) checkpoint(*p, true);
    partitionCheckpoint();
  }

  // `firstOffset`: where partition 0 is read from (above 0: retention deleted records before).
  TopicChainVerifier verify(TopicCheck check = {std::string(kKey), {}, true}, std::int64_t firstOffset = 0) {
    TopicChainVerifier verifier(std::move(check));
    std::map<std::int32_t, std::int64_t> next{{0, firstOffset}};
    for (const auto& r : records) {
      auto e = Event::decode(r.payload);
      EXPECT_TRUE(e.ok()) << r.payload;
      if (e.ok()) verifier.visit(r.partition, next[r.partition]++, r.payload, *e);
    }
    verifier.finish();
    return verifier;
  }

  // Where `records[i]` stands in its partition.
  std::int64_t offsetOf(std::size_t i) const {
    std::int64_t offset = 0;
    for (std::size_t j = 0; j < i; ++j) offset += records[j].partition == records[i].partition ? 1 : 0;
    return offset;
  }

  std::size_t indexOf(const std::string& id) const {
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i].payload.find("\"id\":\"" + id + "\"") != std::string::npos) return i;
    }
    ADD_FAILURE() << "no record " << id;
    return 0;
  }

  static std::vector<std::string> kinds(const TopicChainVerifier& v) {
    std::vector<std::string> out;
    for (const auto& f : v.findings()) out.emplace_back(findingKindName(f.kind));
    return out;
  }

  Producer a{ChainWriter("gw-a/1111"), 0};
  Producer b{ChainWriter("gw-b/2222"), 0};
  Producer c{ChainWriter("gw-a/1111"), 1};  // the same process's chain in another partition
  std::vector<Stored> records;              // in produce order, each partition in its offset order
};

TEST_F(TopicChainsTest, InterleavedChainsOfAnUntouchedTopicVerifyClosedWithEveryCheckpointSigned) {
  writeTopic();
  auto v = verify();
  EXPECT_TRUE(v.findings().empty()) << v.findings()[0].message;
  ASSERT_EQ(v.chains().size(), 3u);
  for (const auto& chain : v.chains()) EXPECT_TRUE(chain.closed) << chain.chain;
  EXPECT_EQ(v.checkpoints(), 2 * (1 + 2 + 1) + 2);
  EXPECT_EQ(v.signedCheckpoints(), v.checkpoints());
}

TEST_F(TopicChainsTest, AChangedRecordIsLocatedByPartitionOffsetChainAndSeq) {
  writeTopic();
  const std::size_t k = indexOf("gw-b/2222-1");
  records[k].payload.replace(records[k].payload.find("gw-b/2222-1\""), 11, "gw-b/2222-9");
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"changed"});
  const Finding& f = v.findings()[0];
  EXPECT_EQ(f.partition, 0);
  EXPECT_EQ(f.position, offsetOf(k)) << "the changed record itself, though the next of its chain stands further on";
  EXPECT_EQ(f.chain, "gw-b/2222");
  EXPECT_EQ(f.seq, 2);
}

TEST_F(TopicChainsTest, ARemovedRecordAndTwoSwappedOfOneChainAreFound) {
  writeTopic();
  const std::size_t k = indexOf("gw-a/1111-4");
  auto removed = records;
  removed.erase(removed.begin() + static_cast<std::ptrdiff_t>(k));
  std::swap(records, removed);
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"removed"});
  EXPECT_EQ(v.findings()[0].chain, "gw-a/1111");
  EXPECT_EQ(v.findings()[0].partition, 0);

  std::swap(records, removed);  // back to whole; then a's 4th and 5th events trade places
  const std::size_t next = indexOf("gw-a/1111-5");
  std::swap(records[k].payload, records[next].payload);
  v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"reordered"});
  EXPECT_EQ(v.findings()[0].position, offsetOf(next));
}

TEST_F(TopicChainsTest, AnInsertedCopyAndARecordWithoutALinkAreFound) {
  writeTopic();
  const std::size_t k = indexOf("gw-b/2222-0");
  records.insert(records.begin() + static_cast<std::ptrdiff_t>(indexOf("gw-b/2222-3")), records[k]);
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"inserted"});
  EXPECT_EQ(v.findings()[0].chain, "gw-b/2222");

  records.erase(records.begin() + static_cast<std::ptrdiff_t>(indexOf("gw-b/2222-3")) - 1);
  Event forged;
  forged.id = "forged";
  forged.type = EventType::kProjectDelete;
  records.insert(records.begin() + 10, {0, forged.encode()});
  v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"inserted"});
  EXPECT_EQ(v.findings()[0].position, offsetOf(10));
}

TEST_F(TopicChainsTest, ATailCutAfterACheckpointIsTruncatedOnceEveryProducerHasStopped) {
  writeTopic();
  // Everything of partition 0 after b's first checkpoint is cut.
  const std::size_t cutAfter = indexOf("gw-b/2222-2") + 1;
  std::vector<Stored> cut;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].partition != 0 || i <= cutAfter) cut.push_back(records[i]);
  }
  records = cut;
  auto v = verify();
  ASSERT_EQ(kinds(v), (std::vector<std::string>{"truncated", "truncated"}));
  const Finding& ofB = v.findings()[1];
  EXPECT_EQ(ofB.chain, "gw-b/2222");
  EXPECT_EQ(ofB.position, offsetOf(cutAfter));
  EXPECT_NE(ofB.message.find("a checkpoint,"), std::string::npos) << ofB.message;
  EXPECT_TRUE(verify({std::string(kKey), {}, false}).findings().empty())
      << "while producers may still run, an open chain is no finding";
}

TEST_F(TopicChainsTest, AClosingForgedWithoutTheKeyIsABadCheckpointAndClosesNothing) {
  writeTopic(false);
  checkpoint(a, true);
  checkpoint(c, true);
  Event closing;
  closing.id = "forged";
  closing.type = EventType::kLogCheckpoint;
  fillChainCheckpoint(closing, b.writer, "not the key", true);
  records.push_back({0, b.writer.link(closing)});
  auto v = verify();
  ASSERT_EQ(kinds(v), (std::vector<std::string>{"bad checkpoint", "truncated"}));
  EXPECT_EQ(v.findings()[0].chain, "gw-b/2222");
  EXPECT_NE(v.findings()[0].message.find("signature does not hold"), std::string::npos) << v.findings()[0].message;
}

TEST_F(TopicChainsTest, AnAnchorNoChainHoldsAnyLongerIsReported) {
  writeTopic();
  const std::size_t k = indexOf("gw-a/1111-5") + 1;  // a's second checkpoint, published
  auto decoded = Event::decode(records[k].payload);
  ASSERT_TRUE(decoded.ok());
  const Anchor published{decoded->seq, recordHash(records[k].payload)};
  EXPECT_TRUE(verify({std::string(kKey), {published}, false}).findings().empty());
  records.erase(records.begin() + static_cast<std::ptrdiff_t>(k), records.end());
  auto v = verify({std::string(kKey), {published}, false});
  ASSERT_EQ(kinds(v), std::vector<std::string>{"anchor missed"});
  EXPECT_EQ(v.findings()[0].partition, -1);
}

TEST_F(TopicChainsTest, ChainsWhoseBeginningRetentionDeletedAreTakenUpButAHeadRemovedFromOffsetZeroIsNot) {
  writeTopic();
  std::vector<Stored> retained;
  std::size_t dropped = 0;
  for (const auto& r : records) {
    if (r.partition == 0 && dropped < 5) {
      ++dropped;  // the oldest five of partition 0: both chains lose their beginnings
      continue;
    }
    retained.push_back(r);
  }
  records = retained;
  auto v = verify({std::string(kKey), {}, true}, 5);
  EXPECT_TRUE(v.findings().empty()) << v.findings()[0].message;
  EXPECT_EQ(v.chainsTakenUp(), 2);
  EXPECT_EQ(kinds(verify())[0], "removed") << "a partition that starts at offset 0 lost nothing to retention";
}

TEST_F(TopicChainsTest, PartitionCheckpointsOfAnUntouchedTopicHoldAndVouchForItsOrderAcrossChains) {
  writeSealedTopic();
  auto v = verify();
  EXPECT_TRUE(v.findings().empty()) << v.findings()[0].message;
  const auto partitions = v.partitions();
  ASSERT_EQ(partitions.size(), 2u);
  EXPECT_EQ(partitions[0].checkpoints, 2);
  EXPECT_EQ(partitions[0].held, 2);
  EXPECT_EQ(partitions[0].vouchedUpTo, partitions[0].lastOffset) << "every record but the checkpoints after it";
  EXPECT_EQ(partitions[1].vouchedUpTo, -1) << "nothing vouches for partition 1's order";
}

TEST_F(TopicChainsTest, AChainRemovedWholeIsFoundByThePartitionCheckpointAfterIt) {
  writeSealedTopic();
  std::vector<Stored> without;
  for (const auto& r : records) {
    if (r.payload.find("\"chain\":\"gw-b/2222\"") == std::string::npos) without.push_back(r);
  }
  ASSERT_LT(without.size(), records.size());
  records = without;
  auto v = verify();
  ASSERT_EQ(kinds(v), (std::vector<std::string>{"order broken", "order broken"}))
      << "both checkpoints vouched for records of the chain removed";
  EXPECT_EQ(v.findings()[0].partition, 0);
  EXPECT_NE(v.findings()[0].message.find("from offset 0 to"), std::string::npos) << v.findings()[0].message;
}

TEST_F(TopicChainsTest, RecordsOfTwoChainsSwappedLeaveBothChainsWholeButBreakThePartitionCheckpoint) {
  writeSealedTopic();
  const std::size_t ofA = indexOf("gw-a/1111-4");
  const std::size_t ofB = indexOf("gw-b/2222-4");
  std::swap(records[ofA], records[ofB]);
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"order broken"});
  EXPECT_EQ(v.findings()[0].position, offsetOf(records.size() - 1)) << "the last checkpoint, the first after the swap";
}

TEST_F(TopicChainsTest, APartitionCheckpointForgedWithoutTheKeyIsABadCheckpoint) {
  writeSealedTopic();
  partitionCheckpoint(0, "not the key");
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"bad checkpoint"});
  EXPECT_NE(v.findings()[0].message.find("signature does not hold"), std::string::npos) << v.findings()[0].message;
  EXPECT_EQ(v.partitions()[0].held, 2);
}

TEST_F(TopicChainsTest, APartitionWhoseBeginningRetentionDeletedIsTakenUpFromItsFirstCheckpoint) {
  writeSealedTopic();
  std::vector<Stored> retained;
  std::size_t dropped = 0;
  for (const auto& r : records) {
    if (r.partition == 0 && dropped < 5) {
      ++dropped;
      continue;
    }
    retained.push_back(r);
  }
  records = retained;
  auto v = verify({std::string(kKey), {}, true}, 5);
  EXPECT_TRUE(v.findings().empty()) << v.findings()[0].message;
  EXPECT_EQ(v.partitions()[0].takenUp, 1);
  EXPECT_EQ(v.partitions()[0].held, 1) << "the second is checked against the first";
}

}  // namespace
}  // namespace wsd::chain
