// The mailer's bookkeeping over the log: what it records, what it sends, and what it
// picks up after a restart. The relay here is a recording one (unit scope); the real
// relays meet a real SMTP server in integration/mail.test.mjs.
#include "mail/mailer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "core/json.h"

namespace wsd::mail {
namespace {

class RecordingRelay final : public Relay {
 public:
  Result<Receipt> send(const MailRequest& mail, const std::string& requestId) override {
    std::lock_guard lock(mutex);
    sent.push_back(requestId + ":" + mail.subject);
    return Receipt{requestId + "@example.com"};
  }
  const char* name() const override { return "smtp"; }
  std::mutex mutex;
  std::vector<std::string> sent;
};

class MailerTest : public ::testing::Test {
 protected:
  RecordingRelay* relay = new RecordingRelay;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::shared_ptr<Event>> appended;
  Mailer mailer{"mail-1", std::unique_ptr<Relay>(relay), [this](std::shared_ptr<Event> e) {
                  std::lock_guard lock(mutex);
                  appended.push_back(std::move(e));
                  changed.notify_all();
                }};

  static Event request(const std::string& id, const std::string& subject) {
    Event e;
    e.id = id;
    e.project = "p";
    e.type = EventType::kMailRequest;
    e.data.AddMember("token", "tok", e.alloc());
    writeInto(e, MailRequest{"me@example.com", "Me", {"a@example.com"}, subject, "t", ""});
    return e;
  }
  static Effects decided(bool accepted) {
    Effects fx;
    fx.mail = MailDecision{accepted, accepted ? 1 : 10, 10, 0};
    return fx;
  }
  static Event about(EventType type, const std::string& requestId) {
    Event e;
    e.project = "p";
    e.type = type;
    e.data.AddMember("request", rapidjson::Value(requestId.c_str(), e.alloc()), e.alloc());
    return e;
  }
  // The types of the events appended, once there are `n` of them.
  std::vector<std::string> waitForAppended(std::size_t n) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(10), [&] { return appended.size() >= n; });
    std::vector<std::string> types;
    for (const auto& e : appended) types.emplace_back(eventTypeName(e->type));
    return types;
  }
};

TEST_F(MailerTest, AcceptedMailIsRecordedSentAndRecordedAgain) {
  mailer.start();
  mailer.observe(request("r1", "hello"), decided(true));
  EXPECT_EQ(waitForAppended(2), (std::vector<std::string>{"mail.accepted", "mail.sent"}));
  EXPECT_EQ(json::string(appended[1]->data, "request"), "r1");
  EXPECT_EQ(json::string(appended[1]->data, "messageId"), "r1@example.com");
  EXPECT_EQ(relay->sent, std::vector<std::string>{"r1:hello"});
}

TEST_F(MailerTest, RefusedMailIsRecordedAndNeverSent) {
  mailer.start();
  mailer.observe(request("r1", "hello"), decided(false));
  EXPECT_EQ(waitForAppended(1), std::vector<std::string>{"mail.rejected"});
  EXPECT_EQ(json::int64(appended[0]->data, "count"), 10);
  mailer.stop();
  EXPECT_TRUE(relay->sent.empty());
}

TEST_F(MailerTest, ReplayedFinishedMailIsNotSentAgain) {
  mailer.observe(request("r1", "old"), decided(true));
  mailer.observe(about(EventType::kMailAccepted, "r1"), {});
  mailer.observe(about(EventType::kMailSent, "r1"), {});
  mailer.observe(request("r2", "refused"), decided(false));
  mailer.observe(about(EventType::kMailRejected, "r2"), {});
  mailer.start();
  mailer.observe(request("r3", "new"), decided(true));
  EXPECT_EQ(waitForAppended(2), (std::vector<std::string>{"mail.accepted", "mail.sent"}));
  EXPECT_EQ(relay->sent, std::vector<std::string>{"r3:new"});
}

TEST_F(MailerTest, MailLeftUndoneByAnEarlierRunIsRecordedAndSentOnStart) {
  mailer.observe(request("r1", "decided only"), decided(true));  // crashed before recording
  mailer.observe(request("r2", "recorded"), decided(true));
  mailer.observe(about(EventType::kMailAccepted, "r2"), {});  // crashed before the relay answered
  mailer.observe(request("r3", "refused"), decided(false));   // crashed before recording
  mailer.start();
  auto types = waitForAppended(4);
  std::sort(types.begin(), types.end());
  EXPECT_EQ(types, (std::vector<std::string>{"mail.accepted", "mail.rejected", "mail.sent", "mail.sent"}));
  std::sort(relay->sent.begin(), relay->sent.end());
  EXPECT_EQ(relay->sent, (std::vector<std::string>{"r1:decided only", "r2:recorded"}));
}

TEST(Mailer, WithoutARelayAcceptedMailFailsAsNotConfigured) {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::shared_ptr<Event>> appended;
  Mailer mailer("mail-1", nullptr, [&](std::shared_ptr<Event> e) {
    std::lock_guard lock(mutex);
    appended.push_back(std::move(e));
    changed.notify_all();
  });
  mailer.start();
  Event e;
  e.id = "r1";
  e.project = "p";
  e.type = EventType::kMailRequest;
  writeInto(e, MailRequest{"me@example.com", "", {"a@example.com"}, "s", "t", ""});
  Effects fx;
  fx.mail = MailDecision{true, 1, 10, 0};
  mailer.observe(e, fx);
  std::unique_lock lock(mutex);
  ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return appended.size() >= 2; }));
  EXPECT_EQ(appended[1]->type, EventType::kMailFailed);
  EXPECT_EQ(json::string(appended[1]->data, "code"), "mail_not_configured");
}

}  // namespace
}  // namespace wsd::mail
