// The Kafka event log: EventLog over an Apache Kafka topic (librdkafka). Key = project
// key, so one project's events are totally ordered in one partition.
//
// Every gateway reads every partition itself (assign, no consumer group) and treats
// what it reads as committed: delivery is driven by the log, in the log's order, and a
// client is acknowledged only once its event came back from the broker. The producer is
// idempotent (acks=all), so a retried send never shows up twice. A send the broker does
// not take within `message.timeout.ms` comes back through the sink as failed.
//
// Chain: several processes produce into each partition and none knows what the others
// wrote, so each KafkaLog keeps a chain of its own per partition it writes to
// (core/log_chain.h), named `<node>/<start nonce>`: it opens with a checkpoint at seq 0,
// links each record to the one it produced before into that partition, adds a
// checkpoint when one is due, and closes with a `final` checkpoint in stop(). For that it
// chooses the partition itself (murmur2 of the key, as the `murmur2` partitioner would)
// and links and produces under one lock, so produce order is chain order; the idempotent
// producer keeps that order through retries. A record the broker did not take ends its
// chain: the next append to the partition opens a new one (`.1`, `.2`, ... appended).
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
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "log/chain_checkpoints.h"
#include "log/event_log.h"
#include "log/kafka_client.h"

namespace wsd::log {

class KafkaLog final : public EventLog {
 public:
  // `checkpoints` without newEvent: records are not chained. `chainName` names this
  // process's chains: unique per process start (node id and a nonce).
  static Result<std::unique_ptr<KafkaLog>> connect(const KafkaOptions& options, event_base* base,
                                                   Checkpoints checkpoints = {}, std::string chainName = {});
  ~KafkaLog() override;

  Status replay(const Visit& visit) override;
  Status start(Sink sink) override;
  void append(EventPtr event) override;
  void stop() override;
  // High watermark minus this gateway's position, per partition, as of the last batch read.
  std::vector<PartitionLag> consumerLag() const override;

 private:
  using Clock = std::chrono::steady_clock;
  // This process's chain in one partition.
  struct PartitionChain {
    chain::ChainWriter writer;
    std::int64_t sinceCheckpoint = 0;  // records linked since the last checkpoint
    Clock::time_point lastCheckpointAt = Clock::now();
  };

  KafkaLog(KafkaOptions options, rd_kafka_t* producer, rd_kafka_t* consumer, event_base* base);
  Result<int> partitionCount();
  Status assignAllFromBeginning(std::vector<std::int64_t>& highWatermarks);
  void drainConsumer();  // the loop's thread
  void updateLag();      // the loop's thread
  static void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* self);

  // ---- the chain (kafka_log.cpp, "chain"); chainMutex_ held by every one of these.
  std::int32_t partitionOf(const std::string& key) const;
  void appendLinked(EventPtr event);
  // This process's chain in `partition`, opened (its seq 0 checkpoint produced) if new;
  // null when the opening could not be produced.
  PartitionChain* chainIn(std::int32_t partition);
  bool produceCheckpoint(std::int32_t partition, PartitionChain& chain, bool final);
  bool checkpointDue(const PartitionChain& chain, Clock::time_point now) const;
  void endChainAfterLoss(std::int32_t partition, const std::string& chain);
  // Hands the record to the producer; a refusal goes to the sink as failed. Lock-free itself.
  bool produce(std::int32_t partition, const std::string& payload, EventPtr event, const std::string& chain);

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

  Checkpoints checkpoints_;  // newEvent null: no chain
  std::string chainName_;    // `<node>/<nonce>`
  // The topic's partition count, read once when connected (chained logs only): partitions
  // added to the topic later are written to after the next start, as librdkafka's own
  // partitioner would spread keys anew then too.
  std::int32_t partitions_ = 0;
  rd_kafka_topic_t* topic_ = nullptr;  // the producer's handle, for the partitioner
  std::mutex chainMutex_;              // guards chains_ and reopened_; held from linking a record to producing it
  std::map<std::int32_t, PartitionChain> chains_;
  std::map<std::int32_t, int> reopened_;  // partition -> chains ended there before the current one
  bool stopped_ = false;                  // stop() closed the chains: nothing more is appended
};

}  // namespace wsd::log
