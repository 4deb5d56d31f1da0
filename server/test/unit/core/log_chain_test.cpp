// The log's chain: a log written through ChainWriter verifies clean, and each kind of
// tampering an editor of the files could do (a byte changed with its CRC fixed, a record
// removed, two swapped, one inserted, the history rewritten without the key, the log cut
// back after a published checkpoint) is found and located.
#include "core/log_chain.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace wsd::chain {
namespace {

constexpr const char* kKey = "operator key";

class LogChainTest : public ::testing::Test {
 protected:
  // `count` events, with a checkpoint after every `every`-th (0: none).
  void write(int count, int every = 0, const std::string& key = kKey) {
    for (int i = 0; i < count; ++i) {
      Event e;
      e.id = "e" + std::to_string(i);
      e.ts = 1000 + i;
      e.node = "n1";
      e.type = EventType::kNodeAlive;
      records.push_back(writer.link(e));
      if (every > 0 && (i + 1) % every == 0) {
        Event checkpoint;
        checkpoint.id = "c" + std::to_string(i);
        checkpoint.type = EventType::kLogCheckpoint;
        fillCheckpoint(checkpoint, writer.nextSeq() - 1, writer.lastHash(), key);
        records.push_back(writer.link(checkpoint));
      }
    }
  }

  ChainVerifier verify(std::optional<std::string> key = std::string(kKey), std::vector<Anchor> anchors = {}) {
    ChainVerifier verifier(std::move(key), std::move(anchors));
    for (std::size_t i = 0; i < records.size(); ++i) {
      auto event = Event::decode(records[i]);
      EXPECT_TRUE(event.ok()) << records[i];
      if (event.ok()) verifier.visit(static_cast<std::int64_t>(i), records[i], *event);
    }
    verifier.finish();
    return verifier;
  }

  static std::vector<std::string> kinds(const ChainVerifier& v) {
    std::vector<std::string> out;
    for (const auto& f : v.findings()) out.emplace_back(findingKindName(f.kind));
    return out;
  }

  ChainWriter writer;
  std::vector<std::string> records;  // as stored, in order
};

TEST_F(LogChainTest, AnUntouchedLogVerifiesWithEveryCheckpointSigned) {
  write(10, 4);
  auto v = verify();
  EXPECT_TRUE(v.findings().empty()) << v.findings()[0].message;
  EXPECT_EQ(v.records(), 12);
  EXPECT_EQ(v.checkpoints(), 2);
  EXPECT_EQ(v.signedCheckpoints(), 2);
  EXPECT_EQ(v.lastCheckpoint(), 9);  // offset of the second checkpoint
  EXPECT_EQ(v.afterLastCheckpoint(), 2);
}

TEST_F(LogChainTest, TheFirstRecordAnchorsToGenesisAndEachNextToTheOneBefore) {
  write(2);
  auto first = Event::decode(records[0]);
  auto second = Event::decode(records[1]);
  EXPECT_EQ(first->seq, 0);
  EXPECT_EQ(first->prev, kGenesis);
  EXPECT_EQ(second->seq, 1);
  EXPECT_EQ(second->prev, recordHash(records[0]));
}

TEST_F(LogChainTest, OneChangedByteIsFoundAtItsRecord) {
  write(10);
  auto& payload = records[4];
  payload.replace(payload.find("\"e4\""), 4, "\"e9\"");  // what a CRC cannot tell: the CRC is written anew
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"changed"});
  EXPECT_EQ(v.findings()[0].position, 4);
}

TEST_F(LogChainTest, ARemovedRecordIsFoundWhereItWas) {
  write(10);
  records.erase(records.begin() + 6);
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"removed"});
  EXPECT_EQ(v.findings()[0].position, 6);
  EXPECT_NE(v.findings()[0].message.find("seq 6 is missing"), std::string::npos) << v.findings()[0].message;
}

TEST_F(LogChainTest, TwoSwappedRecordsAreFoundAsMovedAndNothingElse) {
  write(10);
  std::swap(records[3], records[4]);
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"reordered"});
  EXPECT_EQ(v.findings()[0].position, 4);
}

TEST_F(LogChainTest, AnInsertedCopyIsFound) {
  write(10);
  const std::string copy = records[2];
  records.insert(records.begin() + 5, copy);
  auto v = verify();
  ASSERT_FALSE(v.findings().empty());
  EXPECT_EQ(kinds(v)[0], "inserted");
  EXPECT_EQ(v.findings()[0].position, 5);
}

TEST_F(LogChainTest, AHistoryRewrittenWithoutTheKeyFailsAtTheNextSignedCheckpoint) {
  write(10, 5);  // checkpoints after e4 (offset 5) and e9 (offset 11)
  // The editor changes e2 and re-links everything after it, checkpoints included, but
  // cannot sign: it keeps the old signatures.
  std::vector<std::unique_ptr<Event>> events;
  for (const auto& r : records) {
    auto decoded = Event::decode(r);
    events.push_back(std::make_unique<Event>(std::move(decoded.value())));
  }
  events[2]->id = "forged";
  ChainWriter forger;
  records.clear();
  for (auto& e : events) {
    if (e->type == EventType::kLogCheckpoint) {  // vouching for the forged chain, under the old signature
      e->data["upTo"].SetInt64(forger.nextSeq() - 1);
      e->data["hash"].SetString(forger.lastHash().c_str(), static_cast<rapidjson::SizeType>(forger.lastHash().size()),
                                e->alloc());
    }
    records.push_back(forger.link(*e));
  }
  auto v = verify();
  ASSERT_EQ(kinds(v), (std::vector<std::string>{"bad checkpoint", "bad checkpoint"}));
  EXPECT_EQ(v.findings()[0].position, 5);
  EXPECT_NE(v.findings()[0].message.find("signature does not hold"), std::string::npos);
  EXPECT_TRUE(verify(std::nullopt).findings().empty()) << "without the key only the links are checked";
}

TEST_F(LogChainTest, ALogCutBackAfterAPublishedCheckpointMissesItsAnchor) {
  write(10, 5);
  const Anchor published{11, recordHash(records[11])};  // the last checkpoint, kept elsewhere
  EXPECT_TRUE(verify(std::string(kKey), {published}).findings().empty());
  records.resize(6);  // cut back to the first checkpoint: a clean chain, but shorter
  auto v = verify(std::string(kKey), {published});
  ASSERT_EQ(kinds(v), std::vector<std::string>{"anchor missed"});
  EXPECT_NE(v.findings()[0].message.find("before the anchored seq 11"), std::string::npos) << v.findings()[0].message;
}

TEST_F(LogChainTest, ACheckpointSignedWithAnotherKeyIsReported) {
  write(4, 4, "another key");
  auto v = verify();
  ASSERT_EQ(kinds(v), std::vector<std::string>{"bad checkpoint"});
  EXPECT_EQ(v.signedCheckpoints(), 0);
}

TEST_F(LogChainTest, RecordsWrittenBeforeTheChainAreAPrefixItAnchorsTo) {
  Event old;
  old.id = "old";
  old.type = EventType::kNodeStart;
  records.push_back(old.encode());
  writer = ChainWriter(1, records[0]);
  write(3);
  auto v = verify();
  EXPECT_TRUE(v.findings().empty()) << v.findings()[0].message;
  EXPECT_EQ(v.unchainedPrefix(), 1);
  records.push_back(old.encode());  // an unlinked record after the chain began
  EXPECT_EQ(kinds(verify()), std::vector<std::string>{"inserted"});
}

}  // namespace
}  // namespace wsd::chain
