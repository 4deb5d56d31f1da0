// Appends the projector's partition checkpoints (core/partition_fold.h) to the partitions
// they vouch for. Each goes to the partition named, not the one its key would choose,
// and links into no producer's chain: the fold over the partition vouches for it. A
// checkpoint the broker does not take is only warned about: the next one, a little later,
// vouches for everything it would have.
//
// Threads: the loop given to connect() (delivery reports come through a QueueWakeup).
#pragma once

#include <event2/event.h>
#include <librdkafka/rdkafka.h>

#include <memory>

#include "log/kafka_client.h"

namespace wsd::log {

class PartitionCheckpointWriter {
 public:
  static Result<std::unique_ptr<PartitionCheckpointWriter>> connect(const KafkaOptions& options, event_base* base);
  ~PartitionCheckpointWriter();
  PartitionCheckpointWriter(const PartitionCheckpointWriter&) = delete;
  PartitionCheckpointWriter& operator=(const PartitionCheckpointWriter&) = delete;

  void write(std::int32_t partition, const Event& checkpoint);
  // Waits (at most the message timeout) for what was written to be taken or refused.
  void flush();

 private:
  PartitionCheckpointWriter(KafkaOptions options, rd_kafka_t* producer)
      : options_(std::move(options)), producer_(producer) {}
  static void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*);

  KafkaOptions options_;
  rd_kafka_t* producer_;
  QueueWakeup wakeup_;
};

}  // namespace wsd::log
