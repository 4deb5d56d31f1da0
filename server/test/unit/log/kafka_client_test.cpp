// The librdkafka configuration wsd builds: its own settings first, then a consumer role's,
// then the operator's, so the operator's win; and a property librdkafka refuses stops the
// client from being made, with the property named.
#include "log/kafka_client.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wsd::log {
namespace {

// The value librdkafka ends up with: the last one set.
std::string finalValue(const KafkaSettings& settings, const std::string& name) {
  auto it = std::find_if(settings.rbegin(), settings.rend(), [&](const auto& kv) { return kv.first == name; });
  return it == settings.rend() ? "" : it->second;
}

TEST(KafkaSettings, TheProducerBatchesForTwoMillisecondsUnlessTheOperatorSaysOtherwise) {
  KafkaOptions options;
  options.brokers = "k:9092";
  EXPECT_EQ(finalValue(producerSettings(options), "linger.ms"), "2");
  EXPECT_EQ(finalValue(producerSettings(options), "bootstrap.servers"), "k:9092");
  options.producerOverrides = {{"linger.ms", "0"}};
  EXPECT_EQ(finalValue(producerSettings(options), "linger.ms"), "0");
  EXPECT_EQ(finalValue(consumerSettings(options, "g"), "linger.ms"), "");
}

TEST(KafkaSettings, AConsumersOperatorOverridesComeAfterItsRoleSettings) {
  KafkaOptions options;
  EXPECT_EQ(finalValue(consumerSettings(options, "g"), "fetch.wait.max.ms"), "5");
  EXPECT_EQ(finalValue(consumerSettings(options, "g", {{"session.timeout.ms", "6000"}}), "session.timeout.ms"), "6000");
  options.consumerOverrides = {{"session.timeout.ms", "10000"}, {"fetch.wait.max.ms", "1"}};
  auto settings = consumerSettings(options, "g", {{"session.timeout.ms", "6000"}});
  EXPECT_EQ(finalValue(settings, "session.timeout.ms"), "10000");
  EXPECT_EQ(finalValue(settings, "fetch.wait.max.ms"), "1");
  EXPECT_EQ(finalValue(settings, "group.id"), "g");
}

TEST(KafkaSettings, APropertyLibrdkafkaRefusesIsAnErrorNamingIt) {
  KafkaOptions options;
  options.brokers = "127.0.0.1:1";
  options.producerOverrides = {{"linger.ms", "soon"}};
  auto client = makeKafkaClient(RD_KAFKA_PRODUCER, producerSettings(options));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "kafka_config");
  EXPECT_NE(client.error().message.find("linger.ms"), std::string::npos) << client.error().message;
  options.producerOverrides = {{"no.such.property", "1"}};
  client = makeKafkaClient(RD_KAFKA_PRODUCER, producerSettings(options));
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().message.find("no.such.property"), std::string::npos);
}

}  // namespace
}  // namespace wsd::log
