// The periodic fsync runs on a thread of its own: handing a sync over never waits for the
// disk, a sync handed over while another runs joins the next one, and drain() returns once
// everything handed over is on disk.
#include "log/background_sync.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>

#include "log/file_io.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

// The real calls, except that every fsync waits while the test holds the gate closed; counts
// the fsyncs begun and the descriptors closed. Thread-safe: the sync thread calls it.
class GatedFileIo final : public FileIo {
 public:
  int open(const std::string& path, int flags, mode_t mode) override { return systemFileIo().open(path, flags, mode); }
  ssize_t write(int fd, const void* data, std::size_t size) override { return systemFileIo().write(fd, data, size); }
  int ftruncate(int fd, off_t size) override { return systemFileIo().ftruncate(fd, size); }
  int rename(const std::string& from, const std::string& to) override { return systemFileIo().rename(from, to); }
  int fsync(int fd) override {
    std::unique_lock lock(mutex_);
    ++fsyncsBegun_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
    return systemFileIo().fsync(fd);
  }
  int close(int fd) override {
    std::lock_guard lock(mutex_);
    ++closed_;
    return systemFileIo().close(fd);
  }
  void openGate() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // From now on fsyncs wait for openGate(); the counts start again.
  void closeGate() {
    std::lock_guard lock(mutex_);
    open_ = false;
    fsyncsBegun_ = 0;
    closed_ = 0;
  }
  void awaitFsyncsBegun(int n) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return fsyncsBegun_ >= n; });
  }
  int fsyncsBegun() {
    std::lock_guard lock(mutex_);
    return fsyncsBegun_;
  }
  int closed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = true;
  int fsyncsBegun_ = 0;
  int closed_ = 0;
};

class BackgroundSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/wsd-background-sync-XXXXXX";
    dir = mkdtemp(pattern);
    SegmentLog::Options options;
    options.directory = dir;
    options.defer_rolled_syncs = true;
    options.io = &io;
    auto opened = SegmentLog::open(options);
    ASSERT_TRUE(opened.ok());
    segments = std::move(opened.value());
    // The segment's creation, and the directory's sync it calls for, out of the way.
    ASSERT_TRUE(segments->syncUnsynced(written("first")).ok());
    io.closeGate();
  }
  void TearDown() override {
    io.openGate();
    sync.reset();
    segments.reset();
    fs::remove_all(dir);
  }
  SegmentLog::Unsynced written(const std::string& record) {
    EXPECT_TRUE(segments->append(record).ok());
    auto unsynced = segments->takeUnsynced();
    EXPECT_TRUE(unsynced.ok());
    return unsynced.value();
  }

  std::string dir;
  GatedFileIo io;
  std::unique_ptr<SegmentLog> segments;
  std::unique_ptr<BackgroundSync> sync;
  int failures = 0;
};

TEST_F(BackgroundSyncTest, HandingOverASyncDoesNotWaitForTheDisk) {
  sync = std::make_unique<BackgroundSync>(*segments, [this](const Status&) { ++failures; });
  sync->sync(written("a"));  // returns while the disk (the gate) holds the fsync
  io.awaitFsyncsBegun(1);
  EXPECT_EQ(io.closed(), 0);
  io.openGate();
  sync->drain();
  EXPECT_EQ(io.closed(), 1);
  EXPECT_EQ(failures, 0);
}

TEST_F(BackgroundSyncTest, WhatIsHandedOverDuringASyncIsSyncedOnTheNextTurn) {
  sync = std::make_unique<BackgroundSync>(*segments, [this](const Status&) { ++failures; });
  sync->sync(written("a"));
  io.awaitFsyncsBegun(1);
  sync->sync(written("b"));
  sync->sync(written("c"));
  EXPECT_EQ(io.fsyncsBegun(), 1);  // the first sync still holds the disk
  io.openGate();
  sync->drain();
  EXPECT_EQ(io.fsyncsBegun(), 3);  // one turn for the two handed over meanwhile
  EXPECT_EQ(io.closed(), 3);
}

TEST_F(BackgroundSyncTest, StoppingSyncsWhatWasHandedOverFirst) {
  sync = std::make_unique<BackgroundSync>(*segments, [this](const Status&) { ++failures; });
  io.openGate();
  sync->sync(written("a"));
  sync.reset();
  EXPECT_EQ(io.fsyncsBegun(), 1);
  EXPECT_EQ(io.closed(), 1);
}

}  // namespace
}  // namespace wsd::log
