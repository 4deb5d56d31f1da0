// What every Kafka client here shares: librdkafka configuration with the settings wsd
// chooses (docs/operations.md explains each), record decoding, and the wake-up that lets
// a librdkafka queue drive the backend's libevent loop.
#pragma once

#include <event2/event.h>
#include <librdkafka/rdkafka.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace wsd::log {

// librdkafka configuration properties, in the order they are set (a later one wins).
using KafkaSettings = std::vector<std::pair<std::string, std::string>>;

struct KafkaOptions {
  std::string brokers;  // host:port[,host:port...]
  std::string topic = "wsd.events";
  int partitions = 4;            // used when the topic has to be created
  int messageTimeoutMs = 10000;  // a send not acknowledged by then fails
  // The operator's own properties (--kafka-producer-config, --kafka-consumer-config),
  // set after wsd's, so they override them.
  KafkaSettings producerOverrides;
  KafkaSettings consumerOverrides;
};

// The settings every client has, then the producer's or a consumer's (with `group`), then
// `roleSettings` (what one kind of consumer needs), then the operator's overrides.
KafkaSettings producerSettings(const KafkaOptions& options);
KafkaSettings consumerSettings(const KafkaOptions& options, const std::string& group,
                               const KafkaSettings& roleSettings = {});

// A client with `settings`; `configure` may add callbacks to the configuration first.
Result<rd_kafka_t*> makeKafkaClient(rd_kafka_type_t type, const KafkaSettings& settings,
                                    const std::function<void(rd_kafka_conf_t*)>& configure = {});

// Creates the topic when it does not exist yet (an existing one is left as it is).
Status ensureKafkaTopic(rd_kafka_t* client, const KafkaOptions& options);

// The event a consumed record carries; an error for one that is not an event.
Result<Event> decodeRecord(const rd_kafka_message_t& message);

// librdkafka writes a byte to a pipe when the queue has something; the loop wakes,
// empties the pipe and runs `handler`. Owns the pipe and its libevent watcher.
class QueueWakeup {
 public:
  QueueWakeup() = default;
  ~QueueWakeup();
  QueueWakeup(const QueueWakeup&) = delete;
  QueueWakeup& operator=(const QueueWakeup&) = delete;

  // Takes `queue`. Runs `handler` once at once, for what arrived before the pipe was there.
  Status watch(rd_kafka_queue_t* queue, event_base* base, std::function<void()> handler);
  // Stops the handler from running again (before the clients are destroyed).
  void unwatch();

 private:
  std::function<void()> handler_;
  int fds_[2] = {-1, -1};
  event* watcher_ = nullptr;
};

constexpr int kKafkaStartupTimeoutMs = 15000;

}  // namespace wsd::log
