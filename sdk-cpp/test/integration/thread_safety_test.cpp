// The threading contract (client.h): every method may be called from any thread at once,
// and every handler runs on the client's one I/O thread, never on a caller's. Also: a
// handler may call the client (a reply sent from inside onDirect).
#include <atomic>
#include <thread>

#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

class ThreadSafety : public TransportTest {};

TEST_P(ThreadSafety, ConcurrentCallersAndOneCallbackThread) {
  auto bob = bound("bob");
  auto alice = bound("alice");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> callers;
  callers.reserve(kThreads);
  std::vector<std::thread::id> callerIds(kThreads);
  std::vector<std::future<Result<OnlineResult>>> queries(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    callers.emplace_back([&, t] {
      callerIds[t] = std::this_thread::get_id();
      for (int i = 0; i < kPerThread; ++i) {
        EXPECT_EQ((*alice)->send("bob", std::to_string(t * 1000 + i)), SendStatus::kAccepted);
        if (i == kPerThread / 2) queries[t] = (*alice)->online("bob");
        (void)(*alice)->state();
        (void)(*alice)->queued();
      }
    });
  }
  for (auto& caller : callers) caller.join();
  for (auto& query : queries) {
    ASSERT_EQ(query.wait_for(kPatience), std::future_status::ready);
    EXPECT_TRUE(query.get().value().online);
  }
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.directs.size() >= kThreads * kPerThread; }));
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  // Each caller's messages arrive once each, in that caller's order.
  std::vector<int> next(kThreads, 0);
  for (const auto& direct : bob->recorder.directs) {
    const int value = std::stoi(direct.msg);
    EXPECT_EQ(value % 1000, next[value / 1000]++) << "from caller " << value / 1000;
  }
  for (Recorder* r : {&alice->recorder, &bob->recorder}) {
    ASSERT_EQ(r->threads.size(), 1U) << "handlers ran on more than one thread";
    for (auto id : callerIds) EXPECT_NE(*r->threads.begin(), id);
    EXPECT_NE(*r->threads.begin(), std::this_thread::get_id());
  }
}

TEST_P(ThreadSafety, HandlersMayCallTheClient) {
  auto bob = newClient();
  Client* bobClient = bob->client.get();
  bob->recorder.alsoOnDirect = [bobClient](const Direct& d) { bobClient->send(d.from, d.msg); };
  ASSERT_TRUE(bob->start("bob"));
  auto alice = bound("alice");
  ASSERT_EQ((*alice)->send("bob", jsonString("echo?")), SendStatus::kAccepted);
  ASSERT_TRUE(alice->recorder.waitUntil([&] { return !alice->recorder.directs.empty(); }));
  std::lock_guard lock(alice->recorder.mutex);
  EXPECT_EQ(alice->recorder.directs.at(0).from, "bob");
  EXPECT_EQ(alice->recorder.directs.at(0).text, std::optional<std::string>("echo?"));
}

TEST_P(ThreadSafety, CloseFromAnotherThreadWhileSending) {
  auto alice = bound("alice");
  std::atomic<bool> closed{false};
  std::thread sender([&] {
    while (!closed) {
      const SendStatus s = (*alice)->broadcast("1");
      if (s == SendStatus::kClosed) closed = true;
      EXPECT_TRUE(s == SendStatus::kAccepted || s == SendStatus::kClosed || s == SendStatus::kQueueFull);
    }
  });
  (*alice)->close();
  EXPECT_TRUE((*alice)->waitClosed(kPatience));
  sender.join();
  EXPECT_EQ((*alice)->state(), State::kClosed);
}

WSCLIENT_ALL_TRANSPORTS(ThreadSafety);

}  // namespace
}  // namespace wsclient::test
