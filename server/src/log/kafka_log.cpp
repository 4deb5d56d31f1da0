#include "log/kafka_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

namespace wsd::log {
namespace {

constexpr int kStartupTimeoutMs = 15000;

Status setAll(rd_kafka_conf_t* conf, const std::vector<std::pair<const char*, std::string>>& settings) {
  char error[256];
  for (const auto& [name, value] : settings) {
    if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof(error)) != RD_KAFKA_CONF_OK) {
      return makeError("kafka_config", std::string(name) + ": " + error);
    }
  }
  return okStatus();
}

// Settings chosen for latency on a local network (docs/operations.md explains each).
std::vector<std::pair<const char*, std::string>> settingsFor(rd_kafka_type_t type, const KafkaOptions& o) {
  std::vector<std::pair<const char*, std::string>> s = {
      {"bootstrap.servers", o.brokers}, {"socket.nagle.disable", "true"}, {"client.id", "wsd"}};
  if (type == RD_KAFKA_PRODUCER) {
    s.insert(s.end(), {{"enable.idempotence", "true"},
                       {"acks", "all"},
                       {"linger.ms", "0"},
                       {"message.timeout.ms", std::to_string(o.messageTimeoutMs)}});
  } else {
    s.insert(s.end(), {{"group.id", "wsd-gateway"},  // required by the API; assign() only, nothing is committed
                       {"enable.auto.commit", "false"},
                       {"enable.partition.eof", "true"},
                       {"fetch.wait.max.ms", "5"},
                       {"fetch.error.backoff.ms", "10"}});
  }
  return s;
}

Result<rd_kafka_t*> makeClient(rd_kafka_type_t type, const KafkaOptions& options,
                               void (*onDelivery)(rd_kafka_t*, const rd_kafka_message_t*, void*)) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (auto status = setAll(conf, settingsFor(type, options)); !status.ok()) {
    rd_kafka_conf_destroy(conf);
    return status.error();
  }
  if (onDelivery != nullptr) rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
  char error[512];
  rd_kafka_t* client = rd_kafka_new(type, conf, error, sizeof(error));  // takes conf on success
  if (client == nullptr) {
    rd_kafka_conf_destroy(conf);
    return makeError("kafka_client", error);
  }
  return client;
}

// What travels with each produced record to its delivery report.
struct InFlight {
  KafkaLog* log;
  EventPtr event;
};

}  // namespace

// ---- set-up -------------------------------------------------------------------------------

KafkaLog::KafkaLog(KafkaOptions options, rd_kafka_t* producer, rd_kafka_t* consumer, event_base* base)
    : options_(std::move(options)), producer_(producer), consumer_(consumer), base_(base) {}

Result<std::unique_ptr<KafkaLog>> KafkaLog::connect(const KafkaOptions& options, event_base* base) {
  auto producer = makeClient(RD_KAFKA_PRODUCER, options, &KafkaLog::onDelivery);
  if (!producer.ok()) return producer.error();
  auto consumer = makeClient(RD_KAFKA_CONSUMER, options, nullptr);
  if (!consumer.ok()) {
    rd_kafka_destroy(*producer);
    return consumer.error();
  }
  std::unique_ptr<KafkaLog> log(new KafkaLog(options, *producer, *consumer, base));
  rd_kafka_poll_set_consumer(log->consumer_);
  if (auto status = log->ensureTopic(); !status.ok()) return status.error();
  return log;
}

KafkaLog::~KafkaLog() {
  for (Wakeup* w : {&producerWakeup_, &consumerWakeup_}) {
    if (w->watcher != nullptr) event_free(w->watcher);
  }
  rd_kafka_consumer_close(consumer_);
  rd_kafka_destroy(consumer_);
  rd_kafka_destroy(producer_);
  for (Wakeup* w : {&producerWakeup_, &consumerWakeup_}) {
    for (int fd : w->fds) {
      if (fd >= 0) ::close(fd);
    }
  }
}

// Creates the topic when it does not exist yet (an existing one is left as it is).
Status KafkaLog::ensureTopic() {
  char error[256];
  rd_kafka_NewTopic_t* topic =
      rd_kafka_NewTopic_new(options_.topic.c_str(), options_.partitions, 1, error, sizeof(error));
  if (topic == nullptr) return makeError("kafka_topic", error);
  rd_kafka_queue_t* queue = rd_kafka_queue_new(producer_);
  rd_kafka_CreateTopics(producer_, &topic, 1, nullptr, queue);
  rd_kafka_event_t* result = rd_kafka_queue_poll(queue, kStartupTimeoutMs);
  Status status = okStatus();
  if (result == nullptr) {
    status = makeError("kafka_unavailable", "no answer from " + options_.brokers + " within 15 s");
  } else {
    std::size_t count = 0;
    const rd_kafka_topic_result_t** topics =
        rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(result), &count);
    rd_kafka_resp_err_t err = count > 0 ? rd_kafka_topic_result_error(topics[0]) : rd_kafka_event_error(result);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      status = makeError("kafka_topic", std::string("cannot create ") + options_.topic + ": " + rd_kafka_err2str(err));
    }
    rd_kafka_event_destroy(result);
  }
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(topic);
  return status;
}

// The topic's partition count. A topic created a moment ago may report no partitions (or
// no leaders) for a while: ask again until it does, within the start-up bound.
Result<int> KafkaLog::partitionCount() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartupTimeoutMs);
  std::string lastError = "no partitions";
  while (std::chrono::steady_clock::now() < deadline) {
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_topic_t* topic = rd_kafka_topic_new(consumer_, options_.topic.c_str(), nullptr);
    rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_, 0, topic, &metadata, kStartupTimeoutMs);
    rd_kafka_topic_destroy(topic);
    int partitions = 0;
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR && metadata->topic_cnt == 1 && metadata->topics[0].err == 0) {
      partitions = metadata->topics[0].partition_cnt;
      for (int p = 0; p < partitions; ++p) {
        if (metadata->topics[0].partitions[p].leader < 0) partitions = 0;  // not served yet
      }
    } else if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      lastError = rd_kafka_err2str(err);
    } else if (metadata->topic_cnt == 1) {
      lastError = rd_kafka_err2str(metadata->topics[0].err);
    }
    if (metadata != nullptr) rd_kafka_metadata_destroy(metadata);
    if (partitions > 0) return partitions;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // start-up only: the broker is settling
  }
  return makeError("kafka_unavailable", "topic " + options_.topic + " has no served partitions: " + lastError);
}

Status KafkaLog::assignAllFromBeginning(std::vector<std::int64_t>& highWatermarks) {
  auto count = partitionCount();
  if (!count.ok()) return count.error();
  const int partitions = *count;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  highWatermarks.assign(static_cast<std::size_t>(partitions), 0);
  for (int p = 0; p < partitions; ++p) {
    std::int64_t low = 0;
    rd_kafka_query_watermark_offsets(consumer_, options_.topic.c_str(), p, &low,
                                     &highWatermarks[static_cast<std::size_t>(p)], kStartupTimeoutMs);
    rd_kafka_topic_partition_list_add(list, options_.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer_, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_assign", rd_kafka_err2str(err));
  std::fprintf(stderr, "wsd: kafka: reading all %d partitions of %s\n", partitions, options_.topic.c_str());
  return okStatus();
}

// ---- replay (start-up, calling thread) --------------------------------------------------

Status KafkaLog::replay(const std::function<void(const Event&)>& visit) {
  std::vector<std::int64_t> highWatermarks;
  if (auto status = assignAllFromBeginning(highWatermarks); !status.ok()) return status;
  std::vector<bool> done(highWatermarks.size());
  for (std::size_t p = 0; p < done.size(); ++p) done[p] = highWatermarks[p] == 0;
  auto allDone = [&] { return std::all_of(done.begin(), done.end(), [](bool d) { return d; }); };
  while (!allDone()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, kStartupTimeoutMs);
    if (m == nullptr) return makeError("kafka_unavailable", "the log stopped answering during replay");
    const auto p = static_cast<std::size_t>(m->partition);
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto event = Event::decode(std::string_view(static_cast<const char*>(m->payload), m->len));
      if (event.ok())
        visit(*event);
      else
        std::fprintf(stderr, "wsd: warning: skipped an undecodable Kafka record: %s\n", event.error().message.c_str());
      if (p < done.size() && m->offset + 1 >= highWatermarks[p]) done[p] = true;
    } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (p < done.size()) done[p] = true;
    } else {
      std::fprintf(stderr, "wsd: warning: kafka: %s\n", rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  return okStatus();
}

// ---- the live path (backend thread) -------------------------------------------------------

// librdkafka writes a byte to the pipe when `queue` has something: the backend loop wakes,
// empties the pipe and runs the handler.
void KafkaLog::watch(rd_kafka_queue_t* queue, Wakeup& wakeup) {
  if (::pipe2(wakeup.fds, O_NONBLOCK | O_CLOEXEC) != 0) return;
  rd_kafka_queue_io_event_enable(queue, wakeup.fds[1], "1", 1);
  wakeup.watcher = event_new(
      base_, wakeup.fds[0], EV_READ | EV_PERSIST,
      [](evutil_socket_t fd, short, void* arg) {
        char drain[256];
        while (::read(fd, drain, sizeof(drain)) > 0) {
        }
        auto* w = static_cast<Wakeup*>(arg);
        (w->log->*(w->handler))();
      },
      &wakeup);
  event_add(wakeup.watcher, nullptr);
  rd_kafka_queue_destroy(queue);
}

void KafkaLog::start(Sink sink) {
  sink_ = std::move(sink);
  watch(rd_kafka_queue_get_main(producer_), producerWakeup_);
  watch(rd_kafka_queue_get_consumer(consumer_), consumerWakeup_);
  // Records that arrived before the pipe was attached raise no wake-up: take them now.
  if (consumerWakeup_.watcher != nullptr) event_active(consumerWakeup_.watcher, EV_READ, 0);
}

void KafkaLog::pollProducer() { rd_kafka_poll(producer_, 0); }  // runs onDelivery

void KafkaLog::drainConsumer() {
  std::vector<Committed> batch;
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 0)) {
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto event = Event::decode(std::string_view(static_cast<const char*>(m->payload), m->len));
      if (event.ok()) batch.push_back({std::make_shared<const Event>(std::move(event.value())), true, {}});
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      std::fprintf(stderr, "wsd: warning: kafka: %s\n", rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  if (!batch.empty() && sink_) sink_(std::move(batch));
}

void KafkaLog::append(EventPtr event) {
  const std::string payload = event->encode();
  auto* opaque = new InFlight{this, std::move(event)};  // owned by onDelivery from here on
  rd_kafka_resp_err_t err =
      rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(options_.topic.c_str()),
                        RD_KAFKA_V_KEY(opaque->event->project.data(), opaque->event->project.size()),
                        RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    EventPtr failed = std::move(opaque->event);
    delete opaque;
    if (sink_) sink_({Committed{failed, false, makeError("log_unavailable", rd_kafka_err2str(err))}});
  }
}

// A record the broker did not take comes back as failed; a taken one arrives through the
// consumer, like everyone else's.
void KafkaLog::onDelivery(rd_kafka_t* /*producer*/, const rd_kafka_message_t* m, void* /*unused*/) {
  std::unique_ptr<InFlight> sent(static_cast<InFlight*>(m->_private));
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR || !sent->log->sink_) return;
  sent->log->sink_({Committed{sent->event, false, makeError("log_unavailable", rd_kafka_err2str(m->err))}});
}

void KafkaLog::stop() {
  rd_kafka_flush(producer_, options_.messageTimeoutMs);
  rd_kafka_poll(producer_, 0);
}

}  // namespace wsd::log
