// Appends from threads that do not run the loop reach the log on the loop's thread, in
// the order each thread made them, and what is still queued when the loop has stopped
// is appended by appendQueued() (shutdown).
#include "log/cross_thread_appends.h"

#include <event2/thread.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace wsd::log {
namespace {

class CrossThreadAppendsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    evthread_use_pthreads();
    base = event_base_new();
    appends = std::make_unique<CrossThreadAppends>(base, [this](EventPtr event) {
      appended.push_back(event->id);
      threads.push_back(std::this_thread::get_id());
    });
  }
  void TearDown() override {
    appends.reset();
    event_base_free(base);
  }

  static EventPtr event(std::string id) {
    auto e = std::make_shared<Event>();
    e->id = std::move(id);
    return e;
  }

  event_base* base = nullptr;
  std::unique_ptr<CrossThreadAppends> appends;
  // Written only by whoever appends on the loop's behalf: the test's thread.
  std::vector<std::string> appended;
  std::vector<std::thread::id> threads;
};

TEST_F(CrossThreadAppendsTest, AnotherThreadsAppendsReachTheLogOnTheLoopsThreadInOrder) {
  std::thread mailer([this] {
    for (int i = 0; i < 100; ++i) appends->append(event("m" + std::to_string(i)));
  });
  mailer.join();
  EXPECT_TRUE(appended.empty()) << "nothing is appended until the loop runs";
  while (appended.size() < 100) event_base_loop(base, EVLOOP_ONCE);  // blocks until woken
  std::vector<std::string> expected;
  for (int i = 0; i < 100; ++i) expected.push_back("m" + std::to_string(i));
  EXPECT_EQ(appended, expected);
  for (auto id : threads) EXPECT_EQ(id, std::this_thread::get_id());
}

TEST_F(CrossThreadAppendsTest, WhatIsQueuedWhenTheLoopHasStoppedIsAppendedAtShutdown) {
  std::thread sender([this] {
    appends->append(event("w1"));
    appends->append(event("w2"));
  });
  sender.join();
  appends->appendQueued();
  EXPECT_EQ(appended, (std::vector<std::string>{"w1", "w2"}));
  event_base_loop(base, EVLOOP_NONBLOCK);  // a later wake-up finds nothing left to append
  EXPECT_EQ(appended.size(), 2u);
}

}  // namespace
}  // namespace wsd::log
