#include "log/kafka_client.h"

#include <fcntl.h>
#include <unistd.h>

#include "logging/logger.h"

namespace wsd::log {
namespace {

Status setAll(rd_kafka_conf_t* conf, const KafkaSettings& settings) {
  char error[256];
  for (const auto& [name, value] : settings) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) != RD_KAFKA_CONF_OK) {
      return makeError("kafka_config", name + ": " + error);
    }
  }
  return okStatus();
}

// librdkafka's own lines (syslog levels; from its internal threads) into wsd's log.
void logFromKafka(const rd_kafka_t* client, int level, const char* facility, const char* line) {
  const auto ours = level <= 3   ? logging::Level::kError
                    : level == 4 ? logging::Level::kWarn
                    : level <= 6 ? logging::Level::kInfo
                                 : logging::Level::kDebug;
  if (!logging::enabled(ours)) return;
  logging::write(ours, std::string("kafka: ") + facility + ": " + line, {{"client", rd_kafka_name(client)}});
}

KafkaSettings common(const KafkaOptions& o) {
  return {{"bootstrap.servers", o.brokers}, {"socket.nagle.disable", "true"}, {"client.id", "wsd"}};
}

}  // namespace

// Latency first on a local network: Nagle off, short fetch waits, and a batching delay of
// 2 ms. Without one (linger.ms=0) every append under load went out as a produce request
// of its own: at 10,000 direct messages a second the broker spent 83 µs of CPU per
// message and the four processes 175 µs; with 2 ms, 38 and 82, and the p99 fell from
// 13 ms to 8 ms. The price is at low rates, where a message waits out the 2 ms alone
// (p50 3.5 ms instead of 1.5 ms at 100 msg/s); `linger.ms=0` buys it back
// (docs/performance.md, "Tuned defaults").
KafkaSettings producerSettings(const KafkaOptions& o) {
  auto s = common(o);
  s.insert(s.end(), {{"enable.idempotence", "true"},
                     {"acks", "all"},
                     // Key = project. murmur2 is the Java clients' partitioner, and it maps the empty
                     // key (events with no project: node.*) to one partition, so those stay in order
                     // too (librdkafka's default spreads empty keys at random).
                     {"partitioner", "murmur2"},
                     {"linger.ms", "2"},
                     {"message.timeout.ms", std::to_string(o.messageTimeoutMs)}});
  s.insert(s.end(), o.producerOverrides.begin(), o.producerOverrides.end());
  return s;
}

KafkaSettings consumerSettings(const KafkaOptions& o, const std::string& group, const KafkaSettings& roleSettings) {
  auto s = common(o);
  s.insert(s.end(), {{"group.id", group},
                     {"enable.auto.commit", "false"},  // offsets live with the state they produced
                     {"enable.partition.eof", "true"},
                     {"fetch.wait.max.ms", "5"},
                     {"fetch.error.backoff.ms", "10"}});
  s.insert(s.end(), roleSettings.begin(), roleSettings.end());
  s.insert(s.end(), o.consumerOverrides.begin(), o.consumerOverrides.end());
  return s;
}

Result<rd_kafka_t*> makeKafkaClient(rd_kafka_type_t type, const KafkaSettings& settings,
                                    const std::function<void(rd_kafka_conf_t*)>& configure) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (auto status = setAll(conf, settings); !status.ok()) {
    rd_kafka_conf_destroy(conf);
    return status.error();
  }
  rd_kafka_conf_set_log_cb(conf, logFromKafka);
  if (configure) configure(conf);
  char error[512];
  rd_kafka_t* client = rd_kafka_new(type, conf, error, sizeof(error));  // takes conf on success
  if (client == nullptr) {
    rd_kafka_conf_destroy(conf);
    return makeError("kafka_client", error);
  }
  return client;
}

Status ensureKafkaTopic(rd_kafka_t* client, const KafkaOptions& options) {
  char error[256];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(options.topic.c_str(), options.partitions, 1, error, sizeof(error));
  if (topic == nullptr) return makeError("kafka_topic", error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client);
  rd_kafka_CreateTopics(client, &topic, 1, nullptr, queue);
  rd_kafka_event_t* result = rd_kafka_queue_poll(queue, kKafkaStartupTimeoutMs);
  Status status = okStatus();
  if (result == nullptr) {
    status = makeError("kafka_unavailable", "no answer from " + options.brokers + " within 15 s");
  } else {
    std::size_t count = 0;
    const rd_kafka_topic_result_t** topics =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(result), &count);
    rd_kafka_resp_err_t err = count > 0 ? rd_kafka_topic_result_error(topics[0]) : rd_kafka_event_error(result);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      status = makeError("kafka_topic", std::string("cannot create ") + options.topic + ": " + rd_kafka_err2str(err));
    }
    rd_kafka_event_destroy(result);
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
  return status;
}

Result<Event> decodeRecord(const rd_kafka_message_t& message) {
  return Event::decode(std::string_view(static_cast<const char*>(message.payload), message.len));
}

QueueWakeup::~QueueWakeup() {
  unwatch();
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

Status QueueWakeup::watch(rd_kafka_queue_t* queue, event_base* base, std::function<void()> handler) {
  handler_ = std::move(handler);
  const bool piped = ::pipe2(fds_, O_NONBLOCK | O_CLOEXEC) == 0;
  if (piped) {
    rd_kafka_queue_io_event_enable(queue, fds_[1], "1", 1);
    watcher_ = event_new(
        base, fds_[0], EV_READ | EV_PERSIST,
        [](evutil_socket_t fd, short, void* arg) {
          char drain[256];
          while (::read(fd, drain, sizeof(drain)) > 0) {
          }
          static_cast<QueueWakeup*>(arg)->handler_();
        },
        this);
    event_add(watcher_, nullptr);
    event_active(watcher_, EV_READ, 0);
  }
  rd_kafka_queue_destroy(queue);
  return piped ? okStatus() : makeError("kafka_wakeup", "cannot create a pipe for the Kafka queue");
}

void QueueWakeup::unwatch() {
  if (watcher_ == nullptr) return;
  event_free(watcher_);
  watcher_ = nullptr;
}

}  // namespace wsd::log
