// The embedded log's file format and what open() does with a torn tail (cut, kept aside)
// and with damage (refuses, names file and byte, changes nothing).
#include "log/segment_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "log/directory_lock.h"
#include "recording_file_io.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

class SegmentLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/wsd-segment-log-XXXXXX";
    dir = mkdtemp(pattern);
  }
  void TearDown() override { fs::remove_all(dir); }

  SegmentLog::Options options(std::uint64_t segmentBytes = 1 << 20, bool readOnly = false) {
    SegmentLog::Options options;
    options.read_only = readOnly;
    options.directory = dir;
    options.segment_bytes = segmentBytes;
    options.max_record_bytes = 1 << 16;
    options.repair_hint = "REPAIR WITH THIS";
    options.warn = [this](const std::string& w) { warnings.push_back(w); };
    return options;
  }
  Result<std::unique_ptr<SegmentLog>> tryOpen(std::uint64_t segmentBytes = 1 << 20) {
    return SegmentLog::open(options(segmentBytes));
  }
  std::unique_ptr<SegmentLog> open(std::uint64_t segmentBytes = 1 << 20, bool readOnly = false) {
    auto log = SegmentLog::open(options(segmentBytes, readOnly));
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
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().filename() != kLockFile) out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Every file under the directory with its bytes (but the writer's lock: no log data).
  std::map<std::string, std::string> snapshot() {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().filename() != kLockFile) out[e.path().string()] = bytesOf(e.path());
    }
    return out;
  }
  // The contents of the side files of cut torn tails.
  std::vector<std::string> sideFiles() {
    std::vector<std::string> out;
    if (!fs::exists(dir + "/torn")) return out;
    for (const auto& e : fs::directory_iterator(dir + "/torn")) out.push_back(bytesOf(e.path()));
    return out;
  }
  static std::string bytesOf(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static std::string numbered(int i) {
    char text[16];
    std::snprintf(text, sizeof(text), "record-%03d", i);
    return text;
  }
  void appendBytes(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::app) << bytes;
  }
  void flipByte(const fs::path& file, std::streamoff at, int mask = 0x55) {
    std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
    f.seekg(at);
    char c = static_cast<char>(f.get() ^ mask);
    f.seekp(at);
    f.put(c);
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

TEST_F(SegmentLogTest, ASecondWriterIsRefusedNamingTheFirstWhileReadersStillOpenIt) {
  auto first = open();
  ASSERT_TRUE(first->append("kept").ok());
  auto second = tryOpen();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, "log_in_use");
  EXPECT_NE(second.error().message.find("(pid " + std::to_string(::getpid()) + ")"), std::string::npos)
      << second.error().message;
  auto reader = open(1 << 20, true);
  EXPECT_EQ(readAll(*reader), std::vector<std::string>{"kept"});
  EXPECT_TRUE(warnings.empty()) << "the lock file is not reported as a stray file";
  first.reset();
  auto next = open();  // the lock went with the first writer
  EXPECT_EQ(readAll(*next), std::vector<std::string>{"kept"});
}

TEST_F(SegmentLogTest, AppendsAndReplaysInOrder) {
  auto log = open();
  EXPECT_EQ(*log->append("a"), 0u);
  auto appended = log->appendBatch({"b", "c"});
  EXPECT_TRUE(appended.status.ok());
  EXPECT_EQ(appended.first, 1u);
  EXPECT_EQ(appended.written, 2u);
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

// ---- torn tails of the last segment: cut, and kept in a side file ---------------------

TEST_F(SegmentLogTest, TornHeaderAtTheTailIsCutAndKeptInASideFile) {
  { ASSERT_TRUE(open()->appendBatch({"one", "two"}).status.ok()); }
  const std::string torn("\x10\x00\x00", 3);
  appendBytes(segments().back(), torn);
  auto log = open();
  EXPECT_EQ(readAll(*log), (std::vector<std::string>{"one", "two"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("torn record header at byte 22"), std::string::npos) << warnings[0];
  EXPECT_EQ(sideFiles(), (std::vector<std::string>{torn}));
  EXPECT_EQ(*log->append("three"), 2u);
  log.reset();
  EXPECT_EQ(readAll(*open()).back(), "three");
}

TEST_F(SegmentLogTest, ARecordRunningPastTheEndOfTheLastSegmentIsCutAndKept) {
  { ASSERT_TRUE(open()->append("whole").ok()); }
  const std::string torn("\x20\x00\x00\x00\x00\x00\x00\x00half", 12);
  appendBytes(segments().back(), torn);
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"whole"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("runs past the end of the file"), std::string::npos) << warnings[0];
  EXPECT_EQ(sideFiles(), (std::vector<std::string>{torn}));
}

// T4: the last write reached the disk only in part; nothing follows it.
TEST_F(SegmentLogTest, ACrcMismatchInTheVeryLastRecordIsATornWriteAndIsCutAndKept) {
  { ASSERT_TRUE(open()->appendBatch({"good", "bad"}).status.ok()); }
  flipLastByte(segments().back());
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"good"});
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("CRC mismatch"), std::string::npos);
  EXPECT_EQ(log->nextOffset(), 1u);
  ASSERT_EQ(sideFiles().size(), 1u);
  EXPECT_EQ(sideFiles()[0].substr(8), "bad"s.substr(0, 2) + static_cast<char>('d' ^ 0x55));
}

// T2: the file grew but its data never reached the disk.
TEST_F(SegmentLogTest, ZerosAtTheEndOfTheLastSegmentAreATornWriteAndAreCutAndKept) {
  { ASSERT_TRUE(open()->append("kept").ok()); }
  appendBytes(segments().back(), std::string(4096, '\0'));
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"kept"});
  EXPECT_EQ(sideFiles(), (std::vector<std::string>{std::string(4096, '\0')}));
}

// ---- damage: open() refuses, names file and byte, and changes nothing ------------------

// 404 records of 18 bytes each ("record-NNN" framed); record 202 starts at byte 3636.
TEST_F(SegmentLogTest, ABitFlipInTheMiddleRefusesToOpenNamingFileAndByteAndChangesNothing) {
  {
    auto log = open();
    for (int i = 0; i < 404; ++i) ASSERT_TRUE(log->append(numbered(i)).ok());
  }
  const auto file = segments().back();
  flipByte(file, 202 * 18 + 8 + 3);
  const auto before = snapshot();
  auto refused = tryOpen();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "log_damaged");
  EXPECT_NE(refused.error().message.find(file.string() + ": CRC mismatch at byte 3636 (record offset 202)"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("REPAIR WITH THIS"), std::string::npos);
  EXPECT_EQ(snapshot(), before);  // nothing truncated, deleted or added
}

// A flipped length that sends the record past the end must not pass for a torn tail:
// intact records follow it.
TEST_F(SegmentLogTest, ALengthRunningPastTheEndWithIntactRecordsAfterItIsDamage) {
  {
    auto log = open();
    for (int i = 0; i < 404; ++i) ASSERT_TRUE(log->append(numbered(i)).ok());
  }
  flipByte(segments().back(), 202 * 18 + 1, 0x80);  // length 10 -> 32778, past the end
  const auto before = snapshot();
  auto refused = tryOpen();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("runs past the end of the file at byte 3636"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SegmentLogTest, AnImpossibleLengthFollowedByOtherBytesIsDamage) {
  { ASSERT_TRUE(open()->append("fine").ok()); }
  appendBytes(segments().back(), std::string("\xff\xff\xff\x7f\x00\x00\x00\x00", 8));
  auto refused = tryOpen();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("impossible record length 2147483647 at byte 12"), std::string::npos)
      << refused.error().message;
}

TEST_F(SegmentLogTest, CorruptionInASegmentBeforeTheLastRefusesAndKeepsEverySegment) {
  {
    auto log = open(64);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->append("record-" + std::to_string(i)).ok());
  }
  auto files = segments();
  ASSERT_GE(files.size(), 3u);
  flipLastByte(files[0]);  // its last record: in the last segment this would pass for torn
  const auto before = snapshot();
  auto refused = tryOpen(64);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find(files[0].string() + ": CRC mismatch"), std::string::npos)
      << refused.error().message;
  EXPECT_EQ(snapshot(), before);
}

TEST_F(SegmentLogTest, ATornRecordAtTheEndOfASegmentBeforeTheLastIsDamage) {
  {
    auto log = open(64);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->append("record-" + std::to_string(i)).ok());
  }
  appendBytes(segments()[0], std::string("\x10\x00", 2));
  auto refused = tryOpen(64);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("torn record header"), std::string::npos);
}

TEST_F(SegmentLogTest, AMissingSegmentIsAGapAndRefuses) {
  {
    auto log = open(64);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->append("record-" + std::to_string(i)).ok());
  }
  auto files = segments();
  ASSERT_GE(files.size(), 3u);
  fs::rename(files[1], dir + "/../" + files[1].filename().string() + ".elsewhere");
  auto refused = tryOpen(64);
  fs::remove(dir + "/../" + files[1].filename().string() + ".elsewhere");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find(files[2].string() + ": the segment starts at offset"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("are missing"), std::string::npos);
}

TEST_F(SegmentLogTest, SegmentsThatOverlapRefuse) {
  {
    auto log = open(64);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(log->append("record-" + std::to_string(i)).ok());
  }
  const auto last = segments().back();
  fs::rename(last, dir + "/" + segmentName(parseSegmentName(last.filename().string()).value() - 1));
  auto refused = tryOpen(64);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("(they overlap)"), std::string::npos) << refused.error().message;
}

TEST_F(SegmentLogTest, AStrayFileInTheDirectoryIsLeftAloneWithAWarning) {
  { ASSERT_TRUE(open()->append("a").ok()); }
  appendBytes(dir + "/notes.txt", "hello");
  appendBytes(dir + "/0000000000000000000x.log", "junk");
  auto log = open();
  EXPECT_EQ(readAll(*log), std::vector<std::string>{"a"});
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("0000000000000000000x.log: not a segment of the log; left alone"), std::string::npos);
  EXPECT_NE(warnings[1].find("notes.txt: not a segment of the log; left alone"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir + "/notes.txt"));
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

// ---- durability: the order of writes and syncs (invariants 3 and 4) ---------------------

class SegmentLogDurabilityTest : public SegmentLogTest {
 protected:
  void SetUp() override {
    SegmentLogTest::SetUp();
    io.directory = dir;
  }
  // Records of 16 bytes (8 of payload) in segments of 40 bytes: two records per segment.
  std::unique_ptr<SegmentLog> openDurable(bool syncEachAppend = true) {
    SegmentLog::Options o = options(40);
    o.sync_each_append = syncEachAppend;
    o.io = &io;
    auto log = SegmentLog::open(o);
    EXPECT_TRUE(log.ok());
    return std::move(log.value());
  }
  testing::RecordingFileIo io;
};

constexpr const char* kFirst = "00000000000000000000.log";
constexpr const char* kThird = "00000000000000000002.log";

TEST_F(SegmentLogDurabilityTest, CreatingTheFirstSegmentSyncsTheDirectoryBeforeTheRecordIsAcknowledged) {
  auto log = openDurable();
  ASSERT_TRUE(log->append("r-000000").ok());
  EXPECT_EQ(io.calls, (std::vector<std::string>{"open "s + kFirst, "open DIR", "fsync DIR", "close DIR",
                                                "write "s + kFirst, "fsync "s + kFirst}));
}

TEST_F(SegmentLogDurabilityTest, AtARollTheOldSegmentIsSyncedBeforeTheNewOneIsCreatedAndClosedAfterItsNameIsOnDisk) {
  auto log = openDurable();
  ASSERT_TRUE(log->append("r-000000").ok());
  io.calls.clear();
  auto appended = log->appendBatch({"r-000001", "r-000002", "r-000003"});
  ASSERT_TRUE(appended.status.ok());
  EXPECT_EQ(appended.written, 3u);
  EXPECT_EQ(io.calls, (std::vector<std::string>{"write "s + kFirst, "fsync "s + kFirst,  // the old segment's piece
                                                "open "s + kThird, "open DIR", "fsync DIR", "close DIR",
                                                "close "s + kFirst,  // only once the new name is on disk
                                                "write "s + kThird, "fsync "s + kThird}));
}

TEST_F(SegmentLogDurabilityTest, WithoutSyncEachAppendNothingIsSynced) {
  auto log = openDurable(false);
  ASSERT_TRUE(log->appendBatch({"r-000000", "r-000001", "r-000002"}).status.ok());
  for (const auto& call : io.calls) EXPECT_FALSE(call.starts_with("fsync")) << call;
}

// A full disk after a roll: the records of the old segment's piece are on disk and
// acknowledged; the new segment's piece is cut back off; replay agrees.
TEST_F(SegmentLogDurabilityTest, AWriteFailingAfterARollAcknowledgesExactlyTheRecordsOnDisk) {
  auto log = openDurable();
  ASSERT_TRUE(log->append("r-000000").ok());
  io.failWritesTo = kThird;
  auto appended = log->appendBatch({"r-000001", "r-000002", "r-000003"});
  EXPECT_EQ(appended.first, 1u);
  EXPECT_EQ(appended.written, 1u);
  ASSERT_FALSE(appended.status.ok());
  EXPECT_NE(appended.status.error().message.find("No space left on device"), std::string::npos);
  EXPECT_EQ(log->nextOffset(), 2u);
  EXPECT_EQ(io.calls.back(), "fsync "s + kThird);  // the cut back, synced
  EXPECT_EQ(fs::file_size(dir + "/" + kThird), 0u);
  log.reset();
  EXPECT_EQ(readAll(*open(40)), (std::vector<std::string>{"r-000000", "r-000001"}));
  EXPECT_TRUE(warnings.empty());
}

TEST_F(SegmentLogDurabilityTest, AFailedFsyncCutsTheRecordsBackOffAndRefusesThem) {
  auto log = openDurable();
  ASSERT_TRUE(log->append("r-000000").ok());
  io.failFsyncOf = kFirst;
  auto appended = log->appendBatch({"r-000001"});
  EXPECT_EQ(appended.written, 0u);
  ASSERT_FALSE(appended.status.ok());
  EXPECT_NE(appended.status.error().message.find("cannot fsync"), std::string::npos);
  EXPECT_EQ(fs::file_size(dir + "/" + kFirst), 16u);
  EXPECT_EQ(*log->append("r-000002"), 1u);
  log.reset();
  EXPECT_EQ(readAll(*open(40)), (std::vector<std::string>{"r-000000", "r-000002"}));
}

TEST_F(SegmentLogDurabilityTest, AFailedRollIsTriedAgainOnTheNextAppendAndOffsetsStayDense) {
  auto log = openDurable();
  ASSERT_TRUE(log->appendBatch({"r-000000", "r-000001"}).status.ok());
  io.failOpenOf = kThird;
  auto appended = log->appendBatch({"r-000002"});
  EXPECT_EQ(appended.written, 0u);
  EXPECT_FALSE(appended.status.ok());
  EXPECT_EQ(*log->append("r-000002"), 2u);  // into the new segment, not the full old one
  EXPECT_TRUE(fs::exists(dir + "/" + kThird));
  log.reset();
  EXPECT_EQ(readAll(*open(40)).size(), 3u);
  EXPECT_TRUE(warnings.empty());
}

TEST_F(SegmentLogDurabilityTest, AWriteThatCannotBeCutBackOffStopsTheLogTakingAppends) {
  auto log = openDurable();
  ASSERT_TRUE(log->append("r-000000").ok());
  io.failWritesTo = kFirst;
  io.failFtruncate = true;
  auto appended = log->appendBatch({"r-000001"});
  ASSERT_FALSE(appended.status.ok());
  io.failWritesTo.clear();
  auto refused = log->append("r-000002");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("takes no more appends"), std::string::npos);
}

}  // namespace
}  // namespace wsd::log
