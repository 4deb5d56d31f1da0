// The Kafka event log: EventLog over an Apache Kafka topic (librdkafka). Key = project
// key, so one project's events are totally ordered in one partition.
//
// Every gateway reads every partition itself (assign, no consumer group) and treats
// what it reads as committed: delivery is driven by the log, in the log's order, and a
// client is acknowledged only once its event came back from the broker. The producer is
// idempotent (acks=all), so a retried send never shows up twice. A send the broker does
// not take within `message.timeout.ms` comes back through the sink as failed.
//
// Threads: append() from any thread; everything else, and the sink, on the loop given to
// connect() (the serving loop of `wsd all`/`wsd serve`, the backend loop of the other
// roles): librdkafka's main queue (delivery reports) and consumer queue each write a
// byte to a pipe the loop watches (rd_kafka_queue_io_event_enable, QueueWakeup), so no
// thread of ours polls Kafka. librdkafka's own threads (rdk:main, one per broker) do
// the network I/O and never call into wsd except for its log lines.
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

  Status replay(const std::function<void(const Event&)>& visit) override;
  Status start(Sink sink) override;
  void append(EventPtr event) override;
  void stop() override;
  // High watermark minus this gateway's position, per partition, as of the last batch read.
  std::vector<PartitionLag> consumerLag() const override;

 private:
  KafkaLog(KafkaOptions options, rd_kafka_t* producer, rd_kafka_t* consumer, event_base* base);
  Result<int> partitionCount();
  Status assignAllFromBeginning(std::vector<std::int64_t>& highWatermarks);
  void drainConsumer();  // the loop's thread
  void updateLag();      // the loop's thread
  static void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* self);

  KafkaOptions options_;
  rd_kafka_t* producer_;
  rd_kafka_t* consumer_;
  event_base* base_;
  Sink sink_;
  QueueWakeup producerWakeup_;
  QueueWakeup consumerWakeup_;
  // Written by the loop's thread, read by any; sized once in replay(), before anyone reads.
  std::unique_ptr<std::atomic<std::int64_t>[]> lag_;
  std::atomic<int> lagPartitions_{0};
};

}  // namespace wsd::log
