// The command-line contract that tools and tests depend on.
#include "app/config.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(Config, DefaultsMatchTheDocumentedContract) {
  auto c = parseConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->role, Role::kAll);
  EXPECT_EQ(c->listenHost, "127.0.0.1");
  EXPECT_EQ(c->listenPort, 8080);
  EXPECT_EQ(c->dataDir, "./data");
  EXPECT_EQ(c->heartbeatSeconds, 15);
  EXPECT_EQ(c->offlineTtlSeconds, 259200);
}

TEST(Config, FlagsAcceptSpaceOrEqualsForm) {
  auto c = parseConfig({"serve", "--listen", "0.0.0.0:9000", "--heartbeat-interval=0.5", "--data-dir", "/x"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->role, Role::kServe);
  EXPECT_EQ(c->listenHost, "0.0.0.0");
  EXPECT_EQ(c->listenPort, 9000);
  EXPECT_DOUBLE_EQ(c->heartbeatSeconds, 0.5);
  EXPECT_EQ(c->dataDir, "/x");
}

TEST(Config, BadInputSaysWhatToChange) {
  auto unknown = parseConfig({"--nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("--nope"), std::string::npos);
  auto badValue = parseConfig({"--listen", "nowhere"});
  ASSERT_FALSE(badValue.ok());
  EXPECT_NE(badValue.error().message.find("HOST:PORT"), std::string::npos);
  EXPECT_FALSE(parseConfig({"--offline-ttl"}).ok());
  EXPECT_FALSE(parseConfig({"everything"}).ok());
  EXPECT_FALSE(parseConfig({"--fsync", "sometimes"}).ok());
}

TEST(Config, MailDefaultsFollowTheSeed) {
  auto c = parseConfig({});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->mailLimit, 10);
  EXPECT_EQ(c->mailWindowSeconds, 60);
  EXPECT_EQ(c->mailFromName, "WebSocket Server");
}

TEST(Config, MailRelaysAreCheckedAtStartUp) {
  EXPECT_TRUE(parseConfig({"--smtp-url", "smtps://mail.example.com:465"}).ok());
  EXPECT_FALSE(parseConfig({"--smtp-url", "mail.example.com:25"}).ok());
  EXPECT_FALSE(parseConfig({"--smtp-starttls", "maybe"}).ok());
  auto both = parseConfig({"--smtp-url", "smtp://a:25", "--mail-http-url", "https://api.example.com/send"});
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("not both"), std::string::npos);
  auto mailAlone = parseConfig({"mail"});
  ASSERT_FALSE(mailAlone.ok());
  EXPECT_NE(mailAlone.error().message.find("--kafka-brokers"), std::string::npos);
  EXPECT_TRUE(parseConfig({"mail", "--kafka-brokers", "127.0.0.1:9092"}).ok());
}

TEST(Config, WebhookRetriesAreConfigurableAndTheHooksRoleNeedsKafka) {
  auto defaults = parseConfig({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->webhookAttempts, 5);
  EXPECT_DOUBLE_EQ(defaults->webhookTimeoutSeconds, 10);
  EXPECT_DOUBLE_EQ(defaults->webhookBackoffSeconds, 1);
  auto c = parseConfig({"hooks", "--kafka-brokers", "k:9092", "--webhook-attempts", "3", "--webhook-timeout", "2.5",
                        "--webhook-backoff=0.2"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->role, Role::kHooks);
  EXPECT_EQ(c->webhookAttempts, 3);
  EXPECT_DOUBLE_EQ(c->webhookTimeoutSeconds, 2.5);
  EXPECT_DOUBLE_EQ(c->webhookBackoffSeconds, 0.2);
  EXPECT_FALSE(parseConfig({"--webhook-attempts", "0"}).ok());
  auto embedded = parseConfig({"hooks"});
  ASSERT_FALSE(embedded.ok());
  EXPECT_NE(embedded.error().message.find("--kafka-brokers"), std::string::npos);
}

TEST(Config, HelpListsEveryFlagWithItsDefault) {
  auto help = helpText();
  for (const char* flag : {"--listen", "--admin-token", "--data-dir", "--heartbeat-interval", "--offline-ttl",
                           "--max-message-bytes", "--rate-limit", "--poll-timeout", "--fsync"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

TEST(Config, KafkaPropertiesAreRepeatableKeyValuePairsKeptInOrder) {
  auto c =
      parseConfig({"serve", "--kafka-brokers", "k:9092", "--kafka-producer-config", "linger.ms=1",
                   "--kafka-producer-config=compression.type=lz4", "--kafka-consumer-config", "fetch.wait.max.ms=1"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c->kafkaProducerConfig, (Pairs{{"linger.ms", "1"}, {"compression.type", "lz4"}}));
  EXPECT_EQ(c->kafkaConsumerConfig, (Pairs{{"fetch.wait.max.ms", "1"}}));
  EXPECT_FALSE(parseConfig({"--kafka-producer-config", "linger.ms"}).ok());
  EXPECT_FALSE(parseConfig({"--kafka-consumer-config", "=1"}).ok());
}

}  // namespace
}  // namespace wsd
