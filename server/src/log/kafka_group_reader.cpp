#include "log/kafka_group_reader.h"

#include <cstdio>

#include "core/log_chain.h"
#include "logging/logger.h"

namespace wsd::log {

Result<std::unique_ptr<KafkaGroupReader>> KafkaGroupReader::connect(const KafkaOptions& options,
                                                                    const std::string& group) {
  const KafkaSettings groupMember = {
      {"partition.assignment.strategy", "range,roundrobin"},  // eager: see the header
      // A member that died (SIGKILL, a lost machine) holds its partitions until its session
      // times out: keep that short (the broker's minimum by default), it is the fail-over time.
      {"session.timeout.ms", "6000"},
      {"heartbeat.interval.ms", "1500"},
      // A member catching up (a new projector replaying the log) fetches in large steps:
      // librdkafka's 1 MiB per partition held a replay to ~170,000 events/s, 16 MiB let
      // it reach ~240,000 (docs/performance.md). Prefetching stays bounded by
      // queued.max.messages.kbytes, and a fetch still returns as soon as anything is there.
      {"max.partition.fetch.bytes", "16777216"},
  };
  auto settings = consumerSettings(options, group, groupMember);
  std::unique_ptr<KafkaGroupReader> reader(new KafkaGroupReader(options, nullptr));
  auto consumer = makeKafkaClient(RD_KAFKA_CONSUMER, settings, [&reader](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_rebalance_cb(conf, &KafkaGroupReader::onRebalance);
    rd_kafka_conf_set_opaque(conf, reader.get());  // what the rebalance callback gets as `opaque`
  });
  if (!consumer.ok()) return consumer.error();
  reader->consumer_ = *consumer;
  rd_kafka_poll_set_consumer(reader->consumer_);
  if (auto status = ensureKafkaTopic(reader->consumer_, options); !status.ok()) return status.error();
  return reader;
}

KafkaGroupReader::~KafkaGroupReader() {
  if (consumer_ == nullptr) return;
  close();
  rd_kafka_destroy(consumer_);
}

Status KafkaGroupReader::start(event_base* base, Handlers handlers) {
  handlers_ = std::move(handlers);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, options_.topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_subscribe", rd_kafka_err2str(err));
  return wakeup_.watch(rd_kafka_queue_get_consumer(consumer_), base, [this] { drain(); });
}

void KafkaGroupReader::onRebalance(rd_kafka_t* consumer, rd_kafka_resp_err_t err,
                                   rd_kafka_topic_partition_list_t* partitions, void* opaque) {
  auto* self = static_cast<KafkaGroupReader*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    self->assigned_.clear();
    for (int i = 0; i < partitions->cnt; ++i) self->assigned_.push_back(partitions->elems[i].partition);
    auto offsets = self->handlers_.assigned(self->assigned_);
    for (int i = 0; i < partitions->cnt; ++i) {
      auto it = offsets.find(partitions->elems[i].partition);
      partitions->elems[i].offset = it == offsets.end() ? RD_KAFKA_OFFSET_BEGINNING : it->second;
    }
    logging::info("projector: " + std::to_string(partitions->cnt) + " partition(s) of " + self->options_.topic +
                  " assigned");
    rd_kafka_assign(consumer, partitions);
  } else {
    if (!self->assigned_.empty()) self->handlers_.revoked();
    self->assigned_.clear();
    rd_kafka_assign(consumer, nullptr);
  }
}

Status KafkaGroupReader::rewind(const PartitionOffsets& offsets) {
  if (assigned_.empty()) return okStatus();
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(assigned_.size()));
  for (auto partition : assigned_) {
    auto it = offsets.find(partition);
    rd_kafka_topic_partition_list_add(list, options_.topic.c_str(), partition)->offset =
        it == offsets.end() ? RD_KAFKA_OFFSET_BEGINNING : it->second;
  }
  // Re-assigning (rather than seeking) also restarts a partition whose fetcher is in an
  // error state, and drops what was already fetched from the old positions.
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer_, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_assign", rd_kafka_err2str(err));
  return okStatus();
}

void KafkaGroupReader::drain() {
  std::vector<PartitionRecord> batch;
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 0)) {
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto event = decodeRecord(*m);
      std::string hash = chain::recordHash({static_cast<const char*>(m->payload), m->len});
      if (event.ok()) {
        batch.push_back(
            {m->partition, m->offset, std::make_shared<const Event>(std::move(event.value())), std::move(hash)});
      } else {
        // Not an event (written by something else): skipped, and its offset is passed.
        logging::warn("skipped an undecodable record at " + std::to_string(m->partition) + "/" +
                      std::to_string(m->offset) + ": " + event.error().message);
        batch.push_back({m->partition, m->offset, nullptr, std::move(hash)});
      }
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      logging::warn(std::string("kafka: ") + rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  if (!batch.empty()) handlers_.records(std::move(batch));
}

std::int64_t KafkaGroupReader::highWatermark(std::int32_t partition) const {
  std::int64_t low = 0;
  std::int64_t high = -1;
  if (rd_kafka_get_watermark_offsets(consumer_, options_.topic.c_str(), partition, &low, &high) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return -1;
  }
  return high;
}

void KafkaGroupReader::close() {
  if (closed_) return;
  closed_ = true;
  wakeup_.unwatch();
  rd_kafka_consumer_close(consumer_);  // runs the revoke through the rebalance callback
}

}  // namespace wsd::log
