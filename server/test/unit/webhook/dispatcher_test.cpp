// The dispatcher over a real HTTP endpoint on loopback (a few lines of sockets below):
// what it posts, how it retries, what it records, and what it resumes after a replay.
#include "webhook/dispatcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/json.h"
#include "store/memory_store.h"
#include "webhook/signature.h"

namespace wsd::webhook {
namespace {

// An HTTP/1.1 endpoint that answers each request (one per connection) with the next of
// `statuses` (the last one repeats) and keeps what it received.
class LoopbackEndpoint {
 public:
  explicit LoopbackEndpoint(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    ::listen(listener_, 16);
    socklen_t length = sizeof(address);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackEndpoint() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  void serve() {
    while (!stopping_) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::string request;
      char buffer[4096];
      for (;;) {
        auto end = request.find("\r\n\r\n");
        if (end != std::string::npos) {
          auto at = request.find("Content-Length: ");
          std::size_t length = at == std::string::npos ? 0 : std::stoul(request.substr(at + 16));
          if (request.size() >= end + 4 + length) break;
        }
        auto n = ::read(fd, buffer, sizeof(buffer));
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      int status;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        status = statuses_[std::min(requests_.size(), statuses_.size()) - 1];
      }
      std::string answer =
          "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)::write(fd, answer.data(), answer.size());
      ::close(fd);
    }
  }

  std::vector<int> statuses_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

std::string header(const std::string& request, const std::string& name) {
  auto at = request.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return request.substr(at, request.find("\r\n", at) - at);
}

std::string bodyOf(const std::string& request) { return request.substr(request.find("\r\n\r\n") + 4); }

class DispatcherTest : public ::testing::Test {
 protected:
  store::MemoryStore state;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::shared_ptr<Event>> appended;
  std::unique_ptr<Dispatcher> dispatcher;

  void SetUp() override { state.putProject({"p", "P", 1, {}}); }
  void TearDown() override {
    if (dispatcher) dispatcher->stop();
  }

  void makeDispatcher(int attempts) {
    RetryPolicy policy;
    policy.attempts = attempts;
    policy.backoffMs = 10;
    policy.timeoutMs = 5000;
    dispatcher = std::make_unique<Dispatcher>("hooks-1", state, policy, [this](std::shared_ptr<Event> e) {
      std::lock_guard lock(mutex);
      appended.push_back(std::move(e));
      changed.notify_all();
    });
  }
  void addHook(const std::string& id, const std::string& url, std::vector<std::string> events) {
    state.putWebhook("p", {id, url, std::move(events), "secret-" + id, 1});
  }
  // Waits for `count` records; fails the test after 10 s.
  std::vector<std::shared_ptr<Event>> records(std::size_t count) {
    std::unique_lock lock(mutex);
    EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return appended.size() >= count; }));
    return appended;
  }
  static Event connOpen(const std::string& id, const std::string& conn) {
    Event e;
    e.id = id;
    e.ts = 1'767'225'600'000;
    e.project = "p";
    e.node = "n1";
    e.conn = conn;
    e.type = EventType::kConnOpen;
    e.data.AddMember("transport", "ws", e.alloc());
    return e;
  }
  static Event record(EventType type, const std::string& field, const std::string& value) {
    Event e;
    e.project = "p";
    e.type = type;
    e.data.AddMember(rapidjson::Value(field.c_str(), e.alloc()), rapidjson::Value(value.c_str(), e.alloc()), e.alloc());
    return e;
  }
};

TEST_F(DispatcherTest, PostsTheChosenOccurrenceSignedAndRecordsTheDelivery) {
  LoopbackEndpoint endpoint({200});
  addHook("wh_a", endpoint.url(), {"connect"});
  addHook("wh_b", endpoint.url(), {"message"});
  makeDispatcher(3);
  dispatcher->start();
  dispatcher->observe(connOpen("E1", "c1"), {});

  auto recorded = records(1);
  ASSERT_EQ(recorded.size(), 1u);
  const Event& r = *recorded[0];
  EXPECT_EQ(r.type, EventType::kWebhookDelivered);
  EXPECT_EQ(r.project, "p");
  EXPECT_EQ(r.node, "hooks-1");
  EXPECT_EQ(json::string(r.data, "delivery"), "E1.0.wh_a");
  EXPECT_EQ(json::string(r.data, "hook"), "wh_a");
  EXPECT_EQ(json::string(r.data, "event"), "E1");
  EXPECT_EQ(json::string(r.data, "type"), "connect");
  EXPECT_EQ(json::int64(r.data, "attempts"), 1);
  EXPECT_EQ(json::int64(r.data, "status"), 200);

  auto requests = endpoint.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.rfind("POST /hook HTTP/1.1\r\n", 0), 0u);
  EXPECT_EQ(header(request, "X-Wsd-Event"), "connect");
  EXPECT_EQ(header(request, "X-Wsd-Delivery"), "E1.0.wh_a");
  const auto timestamp = std::stoll(header(request, "X-Wsd-Timestamp"));
  EXPECT_EQ(header(request, "X-Wsd-Signature"), signatureHeader("secret-wh_a", timestamp, bodyOf(request)));
  rapidjson::Document body;
  ASSERT_TRUE(json::parse(body, bodyOf(request)));
  EXPECT_EQ(json::string(body, "id"), "E1");
  EXPECT_EQ(json::string(body["data"], "conn"), "c1");
}

TEST_F(DispatcherTest, RetriesAFailingEndpointThenRecordsTheFailure) {
  LoopbackEndpoint endpoint({500});
  addHook("wh_a", endpoint.url(), {"connect"});
  makeDispatcher(2);
  dispatcher->start();
  dispatcher->observe(connOpen("E1", "c1"), {});

  auto recorded = records(1);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0]->type, EventType::kWebhookFailed);
  EXPECT_EQ(json::int64(recorded[0]->data, "attempts"), 2);
  EXPECT_EQ(json::int64(recorded[0]->data, "status"), 500);
  EXPECT_EQ(json::string(recorded[0]->data, "error"), "HTTP 500");
  EXPECT_EQ(endpoint.requests().size(), 2u);
}

TEST_F(DispatcherTest, SucceedsOnALaterAttempt) {
  LoopbackEndpoint endpoint({503, 200});
  addHook("wh_a", endpoint.url(), {"connect"});
  makeDispatcher(3);
  dispatcher->start();
  dispatcher->observe(connOpen("E1", "c1"), {});
  auto recorded = records(1);
  EXPECT_EQ(recorded[0]->type, EventType::kWebhookDelivered);
  EXPECT_EQ(json::int64(recorded[0]->data, "attempts"), 2);
}

TEST_F(DispatcherTest, AfterAReplayResumesOnlyWhatHasNoRecord) {
  LoopbackEndpoint endpoint({200});
  addHook("wh_a", endpoint.url(), {"connect"});
  makeDispatcher(1);
  dispatcher->observe(connOpen("E1", "c1"), {});
  dispatcher->observe(connOpen("E2", "c2"), {});
  dispatcher->observe(record(EventType::kWebhookDelivered, "delivery", "E1.0.wh_a"), {});
  EXPECT_EQ(dispatcher->start(), 1u);

  auto recorded = records(1);
  EXPECT_EQ(json::string(recorded[0]->data, "delivery"), "E2.0.wh_a");
  EXPECT_EQ(endpoint.requests().size(), 1u);
}

TEST_F(DispatcherTest, AfterAReplayDropsTheDeliveriesOfARemovedWebhook) {
  addHook("wh_a", "http://127.0.0.1:9/never", {"connect"});
  makeDispatcher(1);
  dispatcher->observe(connOpen("E1", "c1"), {});
  dispatcher->observe(record(EventType::kWebhookRemove, "id", "wh_a"), {});
  EXPECT_EQ(dispatcher->start(), 0u);
}

TEST(RetryPolicy, DoublesTheBackoffUpToItsCap) {
  RetryPolicy policy;
  policy.backoffMs = 1000;
  policy.maxBackoffMs = 5000;
  EXPECT_EQ(policy.delayAfter(1), 1000);
  EXPECT_EQ(policy.delayAfter(2), 2000);
  EXPECT_EQ(policy.delayAfter(3), 4000);
  EXPECT_EQ(policy.delayAfter(4), 5000);
  EXPECT_EQ(policy.delayAfter(60), 5000);
}

}  // namespace
}  // namespace wsd::webhook
