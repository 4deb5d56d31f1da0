// Who writes the embedded log and when the sink hears of it: on the appending thread,
// before append() returns, unless every event must be fsynced (then the log's sync
// thread writes and syncs what queued up, and the sink hears of it on the loop's
// thread); in log order either way.
#include "log/embedded_log.h"

#include <event2/thread.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <thread>

#include "recording_file_io.h"

namespace wsd::log {
namespace {

namespace fs = std::filesystem;

class EmbeddedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    evthread_use_pthreads();
    char pattern[] = "/tmp/wsd-embedded-log-XXXXXX";
    dir = mkdtemp(pattern);
    base = event_base_new();
  }
  void TearDown() override {
    log.reset();
    event_base_free(base);
    fs::remove_all(dir);
  }

  void open(FsyncPolicy fsync, std::uint64_t segmentBytes = 64ull << 20, FileIo* io = nullptr,
            Checkpoints checkpoints = {}) {
    SegmentLog::Options options;
    options.directory = dir;
    options.segment_bytes = segmentBytes;
    options.sync_each_append = fsync == FsyncPolicy::kAlways;
    options.defer_rolled_syncs = fsync == FsyncPolicy::kEverySecond;
    options.io = io;
    auto segments = SegmentLog::open(options);
    ASSERT_TRUE(segments.ok());
    log = std::make_unique<EmbeddedLog>(std::move(segments.value()), base, fsync, std::move(checkpoints));
    ASSERT_TRUE(log->start([this](std::vector<Committed>&& batch) {
                     std::lock_guard lock(mutex);
                     sinkThreads.push_back(std::this_thread::get_id());
                     for (auto& c : batch) committed.push_back(c.ok ? c.event->id : "failed " + c.error.message);
                   })
                    .ok());
  }

  static EventPtr event(std::string id) {
    auto e = std::make_shared<Event>();
    e->id = std::move(id);
    e->type = EventType::kNodeAlive;
    return e;
  }

  std::vector<std::string> seen() {
    std::lock_guard lock(mutex);
    return committed;
  }

  // Runs the loop (each turn blocks until an event fires: the sync thread's hand-back)
  // until the sink has heard of `count` events.
  void runLoopUntilSeen(std::size_t count) {
    while (seen().size() < count) event_base_loop(base, EVLOOP_ONCE);
  }

  std::vector<std::string> inTheFile() {
    std::vector<std::string> ids;
    SegmentLog::Options options;
    options.directory = dir;
    options.read_only = true;
    auto reader = SegmentLog::open(options);
    EXPECT_TRUE(reader.ok());
    EXPECT_TRUE(reader.value()
                    ->replay(0, [&](Offset, std::string_view bytes) { ids.push_back(Event::decode(bytes).value().id); })
                    .ok());
    return ids;
  }

  // The chain as `wslog verify --chain` reads it from the files.
  chain::ChainVerifier verifyChain(std::optional<std::string> key) {
    chain::ChainVerifier verifier(std::move(key));
    SegmentLog::Options options;
    options.directory = dir;
    options.read_only = true;
    auto reader = SegmentLog::open(options);
    EXPECT_TRUE(reader.ok());
    EXPECT_TRUE(reader.value()
                    ->replay(0,
                             [&](Offset offset, std::string_view bytes) {
                               verifier.visit(static_cast<std::int64_t>(offset), bytes, Event::decode(bytes).value());
                             })
                    .ok());
    verifier.finish();
    return verifier;
  }

  static Checkpoints everyThree() {
    Checkpoints checkpoints;
    checkpoints.policy = {3, 0, "key"};
    checkpoints.newEvent = [n = 0]() mutable {
      auto e = std::make_shared<Event>();
      e->id = "checkpoint" + std::to_string(n++);
      return e;
    };
    return checkpoints;
  }

  std::string dir;
  event_base* base = nullptr;
  std::unique_ptr<EmbeddedLog> log;
  std::mutex mutex;
  std::vector<std::string> committed;
  std::vector<std::thread::id> sinkThreads;  // where each sink call ran
};

TEST_F(EmbeddedLogTest, WithoutFsyncPerEventAnAppendIsWrittenAndCommittedBeforeAppendReturns) {
  open(FsyncPolicy::kEverySecond);
  log->append(event("e1"));
  EXPECT_EQ(seen(), std::vector<std::string>{"e1"});
  EXPECT_EQ(inTheFile(), std::vector<std::string>{"e1"});
}

// The loop's thread appends and hears back; only the sync thread waits for the disk.
TEST_F(EmbeddedLogTest, WithFsyncPerEventTheSyncThreadWritesAndTheSinkHearsOnTheLoopsThread) {
  open(FsyncPolicy::kAlways);
  log->append(event("e1"));
  log->append(event("e2"));
  log->append(event("e3"));
  EXPECT_TRUE(seen().empty()) << "the sink runs on the loop's thread, which has not run yet";
  runLoopUntilSeen(3);
  EXPECT_EQ(seen(), (std::vector<std::string>{"e1", "e2", "e3"}));
  EXPECT_EQ(inTheFile(), (std::vector<std::string>{"e1", "e2", "e3"}));
  for (auto id : sinkThreads) EXPECT_EQ(id, std::this_thread::get_id());
}

// While the disk syncs one batch, what is appended meanwhile waits and goes in the next
// one: fewer batches than appends (group commit).
TEST_F(EmbeddedLogTest, WithFsyncPerEventAppendsQueuedDuringASyncShareTheNextOne) {
  testing::RecordingFileIo io;
  io.directory = dir;
  open(FsyncPolicy::kAlways, 64ull << 20, &io);
  for (int i = 0; i < 200; ++i) log->append(event("e" + std::to_string(i)));
  runLoopUntilSeen(200);
  log->stop();
  const auto fsyncs = std::count_if(io.calls.begin(), io.calls.end(),
                                    [](const std::string& call) { return call.starts_with("fsync 0"); });
  EXPECT_GE(fsyncs, 1);
  EXPECT_LT(fsyncs, 200);
  EXPECT_EQ(inTheFile().size(), 200u);
  log.reset();
}

// Segments hold one event each; the disk is full from the second segment on: the event
// on disk is committed, the others fail, and the file agrees with what the sink heard.
TEST_F(EmbeddedLogTest, WithFsyncPerEventABatchTheDiskTookInPartIsReportedAsItIsOnDisk) {
  testing::RecordingFileIo io;
  io.directory = dir;
  io.failWritesTo = "00000000000000000001.log";
  open(FsyncPolicy::kAlways, event("e1")->encode().size() + 8 + 1, &io);
  log->append(event("e1"));
  log->append(event("e2"));
  log->append(event("e3"));
  runLoopUntilSeen(3);
  const auto heard = seen();
  ASSERT_EQ(heard.size(), 3u);
  EXPECT_EQ(heard[0], "e1");
  EXPECT_NE(heard[1].find("failed cannot write"), std::string::npos) << heard[1];
  EXPECT_NE(heard[1].find("No space left on device"), std::string::npos) << heard[1];
  EXPECT_EQ(heard[2].rfind("failed ", 0), 0u);
  EXPECT_EQ(inTheFile(), std::vector<std::string>{"e1"});
  log.reset();  // it closes its segment through `io`, which ends with this test
}

// Segments hold one event each, so every append rolls: the periodic sync must reach the
// segments rolled away (their last records were never synced) and the new names.
TEST_F(EmbeddedLogTest, WithFsyncEverySecondTheSyncReachesSegmentsRolledAwayAndTheDirectory) {
  testing::RecordingFileIo io;
  io.directory = dir;
  open(FsyncPolicy::kEverySecond, event("e1")->encode().size() + 8 + 1, &io);
  for (const char* id : {"e1", "e2", "e3"}) log->append(event(id));
  EXPECT_EQ(std::count(io.calls.begin(), io.calls.end(), "close 00000000000000000000.log"), 0)
      << "a rolled segment stays open until it is synced";
  io.calls.clear();
  log->stop();  // syncs what is dirty, as the once-a-second timer does
  const std::vector<std::string> synced = {"fsync 00000000000000000000.log", "fsync 00000000000000000001.log",
                                           "fsync 00000000000000000002.log", "fsync DIR"};
  std::vector<std::string> fsyncs;
  std::copy_if(io.calls.begin(), io.calls.end(), std::back_inserter(fsyncs),
               [](const std::string& call) { return call.starts_with("fsync"); });
  EXPECT_EQ(fsyncs, synced);
  EXPECT_EQ(std::count(io.calls.begin(), io.calls.end(), "close 00000000000000000000.log"), 1);
  EXPECT_EQ(inTheFile(), (std::vector<std::string>{"e1", "e2", "e3"}));
  log.reset();
}

TEST_F(EmbeddedLogTest, RecordsAreChainedAcrossReopensWithCheckpointsInTheWritesThatMadeThemDue) {
  open(FsyncPolicy::kNever, 64ull << 20, nullptr, everyThree());
  for (const char* id : {"e1", "e2", "e3", "e4"}) log->append(event(id));
  EXPECT_EQ(seen(), (std::vector<std::string>{"e1", "e2", "e3", "checkpoint0", "e4"}));
  log.reset();
  committed.clear();
  open(FsyncPolicy::kNever, 64ull << 20, nullptr, everyThree());
  for (const char* id : {"e5", "e6", "e7"}) log->append(event(id));  // counted afresh by the new process
  EXPECT_EQ(seen(), (std::vector<std::string>{"e5", "e6", "e7", "checkpoint0"}));
  auto chain = verifyChain("key");
  EXPECT_TRUE(chain.findings().empty()) << chain.findings()[0].message;
  EXPECT_EQ(chain.records(), 9);
  EXPECT_EQ(chain.signedCheckpoints(), 2);
  EXPECT_EQ(chain.unchainedPrefix(), 0);
}

// The disk refuses the second segment: the chain goes on from the record that is in the
// log, not from the one that was refused.
TEST_F(EmbeddedLogTest, ARefusedWriteLeavesNoGapInTheChain) {
  testing::RecordingFileIo io;
  io.directory = dir;
  io.failWritesTo = "00000000000000000001.log";
  open(FsyncPolicy::kNever, event("e1")->encode().size() + 8 + 1, &io);
  log->append(event("e1"));
  log->append(event("e2"));
  io.failWritesTo.clear();
  log->append(event("e3"));
  EXPECT_EQ(inTheFile(), (std::vector<std::string>{"e1", "e3"}));
  auto chain = verifyChain(std::nullopt);
  EXPECT_TRUE(chain.findings().empty()) << chain.findings()[0].message;
  log.reset();
}

TEST_F(EmbeddedLogTest, AppendsFromSeveralThreadsReachTheSinkInTheOrderOfTheFile) {
  open(FsyncPolicy::kNever);
  auto writer = [this](const std::string& prefix) {
    for (int i = 0; i < 500; ++i) log->append(event(prefix + std::to_string(i)));
  };
  std::thread first(writer, "a");
  std::thread second(writer, "b");
  first.join();
  second.join();
  const auto sinkOrder = seen();
  EXPECT_EQ(sinkOrder.size(), 1000U);
  EXPECT_EQ(sinkOrder, inTheFile());
}

// Shutdown: the loop has stopped running, and stop() must not wait for it.
TEST_F(EmbeddedLogTest, StopWritesWhatIsStillQueuedWithoutTheLoop) {
  open(FsyncPolicy::kAlways);
  log->append(event("e1"));
  log->append(event("e2"));
  log->stop();
  EXPECT_EQ(seen(), (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(inTheFile(), (std::vector<std::string>{"e1", "e2"}));
}

}  // namespace
}  // namespace wsd::log
