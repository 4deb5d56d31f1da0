// The Kafka event log: EventLog over an Apache Kafka topic (librdkafka). Key = project
// key, so one project's events are totally ordered in one partition.
//
// Every gateway reads every partition itself (assign, no consumer group) and treats
// what it reads as committed: delivery is driven by the log, in the log's order, and a
// client is acknowledged only once its event came back from the broker. The producer is
// idempotent (acks=all), so a retried send never shows up twice. A send the broker does
// not take within `message.timeout.ms` comes back through the sink as failed.
//
// Threads: append() from any thread; everything else, and the sink, on the backend loop
// (the producer's and consumer's queues wake it through pipes).
#pragma once

#include <event2/event.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "log/event_log.h"
#include "log/kafka_client.h"

namespace wsd::log {

class KafkaLog final : public EventLog {
 public:
  static Result<std::unique_ptr<KafkaLog>> connect(const KafkaOptions& options, event_base* base);
  ~KafkaLog() override;

  Status replay(const Visit& visit) override;
  Status start(Sink sink) override;
  void append(EventPtr event) override;
  void stop() override;
  // High watermark minus this gateway's position, per partition, as of the last batch read.
  std::vector<PartitionLag> consumerLag() const override;

 private:
  KafkaLog(KafkaOptions options, rd_kafka_t* producer, rd_kafka_t* consumer, event_base* base);
  Result<int> partitionCount();
  Status assignAllFromBeginning(std::vector<std::int64_t>& highWatermarks);
  void drainConsumer();  // backend thread
  void updateLag();      // backend thread
  static void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* self);

  KafkaOptions options_;
  rd_kafka_t* producer_;
  rd_kafka_t* consumer_;
  event_base* base_;
  Sink sink_;
  QueueWakeup producerWakeup_;
  QueueWakeup consumerWakeup_;
  // Written by the backend thread, read by any; sized once in replay(), before anyone reads.
  std::unique_ptr<std::atomic<std::int64_t>[]> lag_;
  std::atomic<int> lagPartitions_{0};
};

}  // namespace wsd::log
