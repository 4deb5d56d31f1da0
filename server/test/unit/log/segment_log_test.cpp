// The embedded log's file format and its recovery from torn or corrupt tails.
#include "log/segment_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

class SegmentLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/wsd-segment-log-XXXXXX";
    dir = mkdtemp(pattern);
  }
  void TearDown() override { fs::remove_all(dir); }

  std::unique_ptr<SegmentLog> open(std::uint64_t segmentBytes = 1 << 20, bool readOnly = false) {
    SegmentLog::Options options;
    options.read_only = readOnly;
    options.directory = dir;
    options.segment_bytes = segmentBytes;
    options.max_record_bytes = 1 << 16;
    options.warn = [this](const std::string& w) { warnings.push_back(w); };
    auto log = SegmentLog::open(options);
    EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error().message);
    return std::move(log.value());
  }
  std::vector<std::string> readAll(const SegmentLog& log, Offset from = 0) {
    std::vector<std::string> out;
    EXPECT_TRUE(log.replay(from, [&](Offset, std::string_view p) { out.emplace_back(p); }).ok());
    return out;
  }
  std::vector<fs::path> segments() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
  }
  void appendBytes(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::app) << bytes;
  }
  void flipLastByte(const fs::path& file) {
    std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
    f.seekg(-1, std::ios::end);
    char c = static_cast<char>(f.get() ^ 0x55);
    f.seekp(-1, std::ios::end);
    f.put(c);
  }

  std::string dir;
  std::vector<std::string> warnings;
};

TEST_F(SegmentLogTest, EmptyDirectoryStartsAtOffsetZero) {
  auto log = open();
  EXPECT_EQ(log->nextOffset(), 0u);
  EXPECT_TRUE(readAll(*log).empty());
}

TEST_F(SegmentLogTest, AppendsAndReplaysInOrder) {
  auto log = open();
  EXPECT_EQ(*log->append("a"), 0u);
  EXPECT_EQ(*log->appendBatch({"b", "c"}), 1u);
  EXPECT_EQ(readAll(*log), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(readAll(*log, 2), std::vector<std::string>{"c"});
}

TEST_F(SegmentLogTest, OffsetsStayDenseAcrossSegmentRolls) {
  auto log = open(64);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(*log->append("record-" + std::to_string(i)), static_cast<Offset>(i));
  EXPECT_GT(segments().size(), 3u);
  auto all = readAll(*log);
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all[19], "record-19");
  EXPECT_EQ(readAll(*log, 17).front(), "record-17");
}

TEST_F(SegmentLogTest, ReopeningContinuesAfterTheLastRecord) {
  {
    auto log = open(64);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(log->append("r" + std::to_string(i)).ok());
  }
  auto log = open(64);
  EXPECT_EQ(log->nextOffset(), 10u);
  EXPECT_EQ(*log->append("r10"), 10u);
  EXPECT_EQ(readAll(*log).back(), "r10");
  EXPECT_TRUE(warnings.empty());
}

TEST_F(SegmentLogTest, TornHeaderAtTheTailIsTruncatedWithAWarning) {
  { ASSERT_TRUE(open()->appendBatch({"one", "two"}).ok()); }
  appendBytes(segments().back(), std::string("\x10\x00\x00", 3));
  auto log = open();
  EXPECT_EQ(readAll(*log), (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("torn record header"), std::string::npos);
  EXPECT_EQ(*log->append("three"), 2u);
  EXPECT_EQ(readAll(*open()).back(), "three");
}

TEST_F(SegmentLogTest, TornPayloadAtTheTailIsTruncatedWithAWarning) {
  { ASSERT_TRUE(open()->append("whole").ok()); }
  appendBytes(segments().back(), std::string("\x20\x00\x00\x00\x00\x00\x00\x00half", 12));
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"whole"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("torn record payload"), std::string::npos);
}

TEST_F(SegmentLogTest, CrcMismatchAtTheTailIsTruncatedWithAWarning) {
  { ASSERT_TRUE(open()->appendBatch({"good", "bad"}).ok()); }
  flipLastByte(segments().back());
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"good"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("CRC mismatch"), std::string::npos);
  EXPECT_EQ(log->nextOffset(), 1u);
}

TEST_F(SegmentLogTest, CorruptionInAnEarlierSegmentDropsTheSegmentsAfterIt) {
  {
    auto log = open(64);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->append("record-" + std::to_string(i)).ok());
  }
  auto files = segments();
  ASSERT_GE(files.size(), 3u);
  flipLastByte(files[0]);
  auto log = open(64);
  EXPECT_EQ(segments().size(), 1u);
  EXPECT_EQ(log->nextOffset(), readAll(*log).size());
  EXPECT_GE(warnings.size(), 2u);  // the truncation, and each removed segment
}

TEST_F(SegmentLogTest, AnImpossibleLengthIsTreatedAsCorruption) {
  { ASSERT_TRUE(open()->append("fine").ok()); }
  appendBytes(segments().back(), std::string("\xff\xff\xff\x7f\x00\x00\x00\x00", 8));
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"fine"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("impossible record length"), std::string::npos);
}

TEST_F(SegmentLogTest, ARecordLargerThanASegmentGetsASegmentOfItsOwn) {
  auto log = open(32);
  ASSERT_TRUE(log->append("small").ok());
  ASSERT_TRUE(log->append(std::string(100, 'x')).ok());
  ASSERT_TRUE(log->append("after").ok());
  EXPECT_EQ(segments().size(), 3u);
  EXPECT_EQ(readAll(*log)[1].size(), 100u);
}

TEST_F(SegmentLogTest, SyncSucceedsOnAnOpenLog) {
  auto log = open();
  EXPECT_TRUE(log->sync().ok());
  ASSERT_TRUE(log->append("x").ok());
  EXPECT_TRUE(log->sync().ok());
}

// Invariant 4: a reader of a live log (wslog) must never cut off the record the writer is
// in the middle of.
// Regression: a file named like a segment but not 20 digits (or past the largest offset)
// made open() throw std::invalid_argument / std::out_of_range instead of passing it by.
TEST_F(SegmentLogTest, AFileNamedAlmostLikeASegmentIsNotTakenForOne) {
  {
    auto log = open();
    ASSERT_TRUE(log->append("kept").ok());
  }
  for (const char* name : {"notasegment-00000000.log", "99999999999999999999.log", "+0000000000000000001.log"}) {
    std::ofstream(fs::path(dir) / name) << "not a record";
  }
  auto log = open();
  ASSERT_NE(log, nullptr);
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"kept"});
  EXPECT_EQ(log->nextOffset(), 1u);
}

TEST_F(SegmentLogTest, ReadOnlyOpenReadsAroundATornTailWithoutTruncatingIt) {
  { ASSERT_TRUE(open()->append("whole").ok()); }
  const std::string torn("\x20\x00\x00\x00\x00\x00\x00\x00half", 12);
  appendBytes(segments().back(), torn);
  const auto sizeBefore = fs::file_size(segments().back());
  auto log = open(1 << 20, true);
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"whole"});
  EXPECT_EQ(log->nextOffset(), 1u);
  EXPECT_EQ(fs::file_size(segments().back()), sizeBefore);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("reading stops there"), std::string::npos);
}

TEST_F(SegmentLogTest, ReadOnlyOpenRefusesToAppendAndToCreateADirectory) {
  auto log = open(1 << 20, true);
  EXPECT_FALSE(log->append("x").ok());
  EXPECT_TRUE(segments().empty());
  SegmentLog::Options missing;
  missing.directory = dir + "/absent";
  missing.read_only = true;
  EXPECT_FALSE(SegmentLog::open(missing).ok());
  EXPECT_FALSE(fs::exists(missing.directory));
}

TEST_F(SegmentLogTest, ReadOnlyOpenLeavesTheSegmentsAfterACorruptOneInPlace) {
  {
    auto log = open(64);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->append("record-" + std::to_string(i)).ok());
  }
  auto files = segments();
  flipLastByte(files[0]);
  auto log = open(64, true);
  EXPECT_EQ(segments(), files);
  EXPECT_EQ(log->nextOffset(), readAll(*log).size());
}

}  // namespace
}  // namespace wsd::log
