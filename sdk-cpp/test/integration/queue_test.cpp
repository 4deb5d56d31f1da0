// The outbound queue and the call outcomes: the bound and both overflow policies, what
// close() does with queued messages (sends them when it can, reports them when it cannot),
// queries that time out, and arguments refused before anything is queued.
#include "closed_port.h"
#include "fixture.h"

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

// A URL where connections are refused, for the whole test program.
std::string deadUrl() {
  static const ClosedPort port;
  return port.url();
}

Options offlineOptions() {
  Options o = clientOptions(deadUrl(), Tenant{"app", "token"}, TransportKind::kWebSocket);
  o.reconnect.initialDelay = 1000ms;  // stays disconnected for the whole test
  o.reconnect.maxDelay = 1000ms;
  return o;
}

TEST(OutboundQueue, RejectsNewMessagesWhenFullByDefault) {
  Options o = offlineOptions();
  o.maxQueued = 3;
  TestClient alice(o);
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*alice).broadcast(std::to_string(i)), SendStatus::kAccepted);
  EXPECT_EQ((*alice).broadcast("3"), SendStatus::kQueueFull);
  auto query = (*alice).list();
  ASSERT_EQ(query.wait_for(0ms), std::future_status::ready);  // failed at once
  EXPECT_EQ(query.get().status().code, ErrorCode::kQueueFull);
  EXPECT_EQ((*alice).queued(), 3U);
}

TEST(OutboundQueue, DropOldestKeepsTheNewestAndReportsTheDropped) {
  Options o = offlineOptions();
  o.maxQueued = 2;
  o.overflow = OverflowPolicy::kDropOldest;
  TestClient alice(o);
  ASSERT_TRUE((*alice).connect().ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*alice).broadcast(std::to_string(i)), SendStatus::kAccepted);
  ASSERT_TRUE(alice.recorder.waitUntil([&] { return !alice.recorder.dropped.empty(); }));
  std::lock_guard lock(alice.recorder.mutex);
  EXPECT_EQ(alice.recorder.dropped.at(0).reason, Dropped::Reason::kOverflow);
  EXPECT_EQ(alice.recorder.dropped.at(0).json, R"({"type":"broadcast","msg":0})");
  EXPECT_EQ((*alice).queued(), 2U);
}

TEST(OutboundQueue, CloseReportsWhatCouldNotBeSentAndFailsWaitingQueries) {
  TestClient alice(offlineOptions());
  ASSERT_TRUE((*alice).connect().ok());
  ASSERT_EQ((*alice).broadcast("1"), SendStatus::kAccepted);
  auto query = (*alice).online("bob");
  (*alice).close();
  ASSERT_TRUE((*alice).waitClosed(kPatience));
  ASSERT_EQ(query.wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(query.get().status().code, ErrorCode::kClosed);
  std::lock_guard lock(alice.recorder.mutex);
  ASSERT_EQ(alice.recorder.dropped.size(), 1U);
  EXPECT_EQ(alice.recorder.dropped.at(0).reason, Dropped::Reason::kClosed);
  EXPECT_EQ((*alice).broadcast("2"), SendStatus::kClosed);
}

TEST(OutboundQueue, QueriesWithoutAnAnswerTimeOut) {
  Options o = offlineOptions();
  o.requestTimeout = 200ms;
  TestClient alice(o);
  ASSERT_TRUE((*alice).connect().ok());
  auto query = (*alice).online("bob");
  ASSERT_EQ(query.wait_for(kPatience), std::future_status::ready);
  EXPECT_EQ(query.get().status().code, ErrorCode::kTimeout);
}

TEST(OutboundQueue, BadArgumentsAreRefusedBeforeQueueing) {
  Options o = offlineOptions();
  o.maxMessageBytes = 100;
  TestClient alice(o);
  Client& c = *alice;
  EXPECT_EQ(c.bind(""), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.bind(std::string(129, 'u')), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.send("bob", "not json"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.send("bob", "1 2"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.multicast({}, "1"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.multicast({"bob", ""}, "1"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.broadcast(""), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.joinRoom(""), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.sendOffer("r", "bob", "\"an sdp must be an object\""), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.sendIce("r", "bob", "[]"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.sendRaw(R"({"no":"type"})"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.sendRaw("[]"), SendStatus::kInvalidArgument);
  EXPECT_EQ(c.broadcast(jsonString(std::string(200, 'x'))), SendStatus::kTooBig);
  auto query = c.online("");
  EXPECT_EQ(query.get().status().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(c.queued(), 0U);
}

TEST(OutboundQueue, ConnectChecksTheOptions) {
  Options o = offlineOptions();
  o.url = "ftp://example.com";
  EXPECT_EQ(Client(o, {}).connect().code, ErrorCode::kInvalidOptions);
  o = offlineOptions();
  o.transports = {TransportKind::kSse, TransportKind::kSse};
  const Status twice = Client(o, {}).connect();
  EXPECT_EQ(twice.code, ErrorCode::kInvalidOptions);
  EXPECT_NE(twice.message.find("twice"), std::string::npos);
  o = offlineOptions();
  o.reconnect.jitter = 2;
  EXPECT_EQ(Client(o, {}).connect().code, ErrorCode::kInvalidOptions);
  Client once(offlineOptions(), {});
  EXPECT_TRUE(once.connect().ok());
  EXPECT_EQ(once.connect().code, ErrorCode::kAlreadyStarted);
}

class Closing : public TransportTest {};

TEST_P(Closing, SendsWhatIsQueuedBeforeTheLinkCloses) {
  auto bob = bound("bob");
  auto alice = bound("alice");
  constexpr int kMessages = 50;
  for (int i = 0; i < kMessages; ++i) ASSERT_EQ((*alice)->send("bob", std::to_string(i)), SendStatus::kAccepted);
  (*alice)->close();
  ASSERT_TRUE((*alice)->waitClosed(kPatience));
  ASSERT_TRUE(bob->recorder.waitUntil([&] { return bob->recorder.directs.size() >= kMessages; }))
      << "alice: " << alice->recorder.summary() << "\nbob: " << bob->recorder.summary() << "\n"
      << server->log();
  std::scoped_lock lock(alice->recorder.mutex, bob->recorder.mutex);
  EXPECT_TRUE(alice->recorder.dropped.empty());
  ASSERT_FALSE(alice->recorder.disconnected.empty());
  EXPECT_EQ(alice->recorder.disconnected.back().code, 1000);
  EXPECT_FALSE(alice->recorder.disconnected.back().willReconnect);
  EXPECT_EQ(bob->recorder.directs.back().msg, std::to_string(kMessages - 1));
}

WSCLIENT_ALL_TRANSPORTS(Closing);

}  // namespace
}  // namespace wsclient::test
