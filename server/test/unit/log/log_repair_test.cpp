// `wsd log repair`: the damaged part of the log is moved aside, never deleted, and the log
// opens afterwards on the records before the damage.
#include "log/log_repair.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "log/directory_lock.h"
#include "log/segment_log.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kMaxRecord = 1 << 16;

class LogRepairTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/wsd-log-repair-XXXXXX";
    dir = mkdtemp(pattern);
  }
  void TearDown() override { fs::remove_all(dir); }

  // Twelve records "record-00".."record-11" (17 bytes framed), three per 64-byte segment.
  void writeLog() {
    SegmentLog::Options options;
    options.directory = dir;
    options.segment_bytes = 64;
    auto log = SegmentLog::open(options);
    ASSERT_TRUE(log.ok());
    for (int i = 0; i < 12; ++i) {
      ASSERT_TRUE((*log)->append("record-" + std::string(i < 10 ? "0" : "") + std::to_string(i)).ok());
    }
  }
  Result<std::unique_ptr<SegmentLog>> openLog() {
    SegmentLog::Options options;
    options.directory = dir;
    options.segment_bytes = 64;
    return SegmentLog::open(options);
  }
  std::vector<std::string> records() {
    auto log = openLog();
    EXPECT_TRUE(log.ok()) << log.error().message;
    std::vector<std::string> out;
    if (!log.ok()) return out;
    EXPECT_TRUE((*log)->replay(0, [&](Offset, std::string_view p) { out.emplace_back(p); }).ok());
    return out;
  }
  static std::string bytesOf(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  void flipByte(const fs::path& file, std::streamoff at) {
    std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
    f.seekg(at);
    char c = static_cast<char>(f.get() ^ 0x55);
    f.seekp(at);
    f.put(c);
  }
  std::string seg(Offset base) { return dir + "/" + segmentName(base); }

  std::string dir;
};

TEST_F(LogRepairTest, DamageIsMovedAsideWithEveryLaterSegmentAndTheLogOpensOnTheRecordsBeforeIt) {
  writeLog();
  flipByte(seg(3), 17 + 8 + 2);  // record 4, the second of segment 3
  const std::string damaged = bytesOf(seg(3));
  const std::string later = bytesOf(seg(6));
  ASSERT_FALSE(openLog().ok());

  auto report = repairLog(dir, kMaxRecord, "20240501T140000Z", systemFileIo());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_NE(report->problem.find(segmentName(3) + ": CRC mismatch at byte 17 (record offset 4)"), std::string::npos)
      << report->problem;
  EXPECT_EQ(report->keptRecords, 4u);
  EXPECT_EQ(report->damagedFolder, dir + "/damaged-20240501T140000Z");
  ASSERT_EQ(report->moved.size(), 3u);  // the damaged segment's copy, and segments 6 and 9

  const std::string folder = report->damagedFolder;
  EXPECT_EQ(bytesOf(folder + "/" + segmentName(3)), damaged);  // every byte kept
  EXPECT_EQ(bytesOf(folder + "/" + segmentName(6)), later);
  EXPECT_TRUE(fs::exists(folder + "/" + segmentName(9)));
  EXPECT_FALSE(fs::exists(seg(6)));
  EXPECT_EQ(fs::file_size(seg(3)), 17u);
  EXPECT_EQ(records(), (std::vector<std::string>{"record-00", "record-01", "record-02", "record-03"}));
}

TEST_F(LogRepairTest, AnIntactLogIsLeftAsItIs) {
  writeLog();
  auto report = repairLog(dir, kMaxRecord, "20240501T140000Z", systemFileIo());
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->problem.empty());
  EXPECT_EQ(report->keptRecords, 12u);
  EXPECT_TRUE(report->damagedFolder.empty());
  EXPECT_FALSE(fs::exists(dir + "/damaged-20240501T140000Z"));
  EXPECT_EQ(records().size(), 12u);
}

TEST_F(LogRepairTest, ARepairIsRefusedWhileTheLogIsOpenForWritingAndChangesNothing) {
  writeLog();
  flipByte(seg(0), 20);  // damage in the first segment: a repair would move most of the log
  auto running = openLog();
  ASSERT_FALSE(running.ok());               // damaged: a writer refuses it too, but a live one could hold it
  auto lock = DirectoryLock::acquire(dir);  // what a running wsd holds
  ASSERT_TRUE(lock.ok());
  auto report = repairLog(dir, kMaxRecord, "20240501T140000Z", systemFileIo());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, "log_in_use");
  EXPECT_FALSE(fs::exists(dir + "/damaged-20240501T140000Z"));
  EXPECT_TRUE(fs::exists(seg(3)));
}

TEST_F(LogRepairTest, ASegmentAfterAGapIsMovedAsideWhole) {
  writeLog();
  fs::rename(seg(3), dir + "/../" + segmentName(3) + ".gone");
  auto report = repairLog(dir, kMaxRecord, "20240501T140000Z", systemFileIo());
  fs::remove(dir + "/../" + segmentName(3) + ".gone");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->keptRecords, 3u);
  EXPECT_TRUE(fs::exists(report->damagedFolder + "/" + segmentName(6)));
  EXPECT_TRUE(fs::exists(report->damagedFolder + "/" + segmentName(9)));
  EXPECT_EQ(records().size(), 3u);
}

TEST_F(LogRepairTest, ASecondRepairAtTheSameTimeGetsAFolderOfItsOwn) {
  writeLog();
  flipByte(seg(9), 2 * 17 + 8);  // the last record of the last segment, not at its end
  flipByte(seg(9), 17 + 8);
  ASSERT_TRUE(repairLog(dir, kMaxRecord, "T", systemFileIo()).ok());
  flipByte(seg(6), 8);
  auto second = repairLog(dir, kMaxRecord, "T", systemFileIo());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->damagedFolder, dir + "/damaged-T-2");
  EXPECT_TRUE(fs::exists(dir + "/damaged-T/" + segmentName(9)));
  EXPECT_EQ(records().size(), 6u);
}

}  // namespace
}  // namespace wsd::log
