// Reading the log as a member of a Kafka consumer group: the group coordinator spreads
// the topic's partitions over the members and moves them when one joins, leaves or dies
// (eager rebalancing: a partition is revoked from its old owner before anyone else gets
// it). Nothing is committed to Kafka: the owner keeps each partition's offset with the
// state it produced, and says where to start when a partition is assigned.
//
// Threads: the handlers run on the loop given to it, inside the reader's poll.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "log/kafka_client.h"

namespace wsd::log {

struct PartitionRecord {
  std::int32_t partition = 0;
  std::int64_t offset = 0;
  EventPtr event;    // null for a record that is not an event: skipped, its offset passed
  std::string hash;  // SHA-256 of the record as stored (core/log_chain.h), for the partition's fold
};

using PartitionOffsets = std::map<std::int32_t, std::int64_t>;  // partition -> next offset

class KafkaGroupReader {
 public:
  struct Handlers {
    // Partitions now ours; returns where to start each (absent: from the beginning).
    std::function<PartitionOffsets(const std::vector<std::int32_t>&)> assigned;
    // Every partition is being taken away: finish with them before returning.
    std::function<void()> revoked;
    std::function<void(std::vector<PartitionRecord>&&)> records;
  };

  static Result<std::unique_ptr<KafkaGroupReader>> connect(const KafkaOptions& options, const std::string& group);
  ~KafkaGroupReader();
  KafkaGroupReader(const KafkaGroupReader&) = delete;
  KafkaGroupReader& operator=(const KafkaGroupReader&) = delete;

  Status start(event_base* base, Handlers handlers);
  // Starts the assigned partitions again at `offsets` (from the beginning when absent).
  Status rewind(const PartitionOffsets& offsets);
  // Leaves the group (the revoked handler runs). Not from the loop's callbacks: while the
  // loop does not run (it waits for nothing the loop would do).
  void close();
  // The partitions assigned now. The loop's thread.
  const std::vector<std::int32_t>& assigned() const { return assigned_; }
  // The end of `partition` as the last fetch response said (no broker round trip), or -1
  // when nothing was fetched from it yet. The loop's thread.
  std::int64_t highWatermark(std::int32_t partition) const;

 private:
  KafkaGroupReader(KafkaOptions options, rd_kafka_t* consumer) : options_(std::move(options)), consumer_(consumer) {}
  static void onRebalance(rd_kafka_t* consumer, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                          void* self);
  void drain();

  KafkaOptions options_;
  rd_kafka_t* consumer_;
  Handlers handlers_;
  std::vector<std::int32_t> assigned_;
  QueueWakeup wakeup_;
  bool closed_ = false;
};

}  // namespace wsd::log
