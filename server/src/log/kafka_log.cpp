#include "log/kafka_log.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/error_codes.h"
#include "logging/logger.h"

namespace wsd::log {
namespace {

// What travels with each produced record to its delivery report.
struct InFlight {
  KafkaLog* log;
  EventPtr event;
  std::chrono::steady_clock::time_point since;
  std::string chain;  // the chain it was linked in; empty: none
};

}  // namespace

// ---- set-up -------------------------------------------------------------------------------

KafkaLog::KafkaLog(KafkaOptions options, rd_kafka_t* producer, rd_kafka_t* consumer, event_base* base)
    : options_(std::move(options)), producer_(producer), consumer_(consumer), base_(base) {}

Result<std::unique_ptr<KafkaLog>> KafkaLog::connect(const KafkaOptions& options, event_base* base,
                                                    Checkpoints checkpoints, std::string chainName) {
  auto producer = makeKafkaClient(RD_KAFKA_PRODUCER, producerSettings(options), [](rd_kafka_conf_t* conf) {
    rd_kafka_conf_set_dr_msg_cb(conf, &KafkaLog::onDelivery);
  });
  if (!producer.ok()) return producer.error();
  // Every gateway reads every partition itself: the group id is required by the API, and
  // nothing is committed under it.
  auto consumer = makeKafkaClient(RD_KAFKA_CONSUMER, consumerSettings(options, "wsd-gateway"));
  if (!consumer.ok()) {
    rd_kafka_destroy(*producer);
    return consumer.error();
  }
  std::unique_ptr<KafkaLog> log(new KafkaLog(options, *producer, *consumer, base));
  rd_kafka_poll_set_consumer(log->consumer_);
  if (auto status = ensureKafkaTopic(log->producer_, options); !status.ok()) return status.error();
  if (checkpoints.newEvent) {
    auto partitions = log->partitionCount();
    if (!partitions.ok()) return partitions.error();
    log->partitions_ = *partitions;
    log->topic_ = rd_kafka_topic_new(log->producer_, options.topic.c_str(), nullptr);
    log->checkpoints_ = std::move(checkpoints);
    log->chainName_ = std::move(chainName);
  }
  return log;
}

KafkaLog::~KafkaLog() {
  producerWakeup_.unwatch();
  consumerWakeup_.unwatch();
  rd_kafka_consumer_close(consumer_);
  rd_kafka_destroy(consumer_);
  if (topic_ != nullptr) rd_kafka_topic_destroy(topic_);
  rd_kafka_destroy(producer_);
}

// The topic's partition count. A topic created a moment ago may report no partitions (or
// no leaders) for a while: ask again until it does, within the start-up bound.
Result<int> KafkaLog::partitionCount() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kKafkaStartupTimeoutMs);
  std::string lastError = "no partitions";
  while (std::chrono::steady_clock::now() < deadline) {
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_topic_t* topic = rd_kafka_topic_new(consumer_, options_.topic.c_str(), nullptr);
    rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_, 0, topic, &metadata, kKafkaStartupTimeoutMs);
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
                                     &highWatermarks[static_cast<std::size_t>(p)], kKafkaStartupTimeoutMs);
    rd_kafka_topic_partition_list_add(list, options_.topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer_, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (lag_ == nullptr) {
    lag_ = std::make_unique<std::atomic<std::int64_t>[]>(static_cast<std::size_t>(partitions));
    for (int p = 0; p < partitions; ++p) lag_[static_cast<std::size_t>(p)].store(0);
    lagPartitions_.store(partitions);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_assign", rd_kafka_err2str(err));
  logging::info("kafka: reading all " + std::to_string(partitions) + " partitions of " + options_.topic);
  return okStatus();
}

// ---- replay (start-up, calling thread) --------------------------------------------------

Status KafkaLog::replay(const Visit& visit) {
  std::vector<std::int64_t> highWatermarks;
  if (auto status = assignAllFromBeginning(highWatermarks); !status.ok()) return status;
  std::vector<bool> done(highWatermarks.size());
  for (std::size_t p = 0; p < done.size(); ++p) done[p] = highWatermarks[p] == 0;
  auto allDone = [&] { return std::all_of(done.begin(), done.end(), [](bool d) { return d; }); };
  while (!allDone()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, kKafkaStartupTimeoutMs);
    if (m == nullptr) return makeError("kafka_unavailable", "the log stopped answering during replay");
    const auto p = static_cast<std::size_t>(m->partition);
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto event = decodeRecord(*m);
      if (event.ok())
        visit(*event, LogPosition{m->partition, m->offset});
      else
        logging::warn("skipped an undecodable Kafka record: " + event.error().message);
      if (p < done.size() && m->offset + 1 >= highWatermarks[p]) done[p] = true;
    } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (p < done.size()) done[p] = true;
    } else {
      logging::warn(std::string("kafka: ") + rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  return okStatus();
}

// ---- the live path (the loop's thread) ---------------------------------------------------

Status KafkaLog::start(Sink sink) {
  sink_ = std::move(sink);
  auto producing = producerWakeup_.watch(rd_kafka_queue_get_main(producer_), base_,
                                         [this] { rd_kafka_poll(producer_, 0); });  // runs onDelivery
  if (!producing.ok()) return producing;
  return consumerWakeup_.watch(rd_kafka_queue_get_consumer(consumer_), base_, [this] { drainConsumer(); });
}

void KafkaLog::drainConsumer() {
  std::vector<Committed> batch;
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 0)) {
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto event = decodeRecord(*m);
      if (event.ok()) {
        batch.push_back(
            {std::make_shared<const Event>(std::move(event.value())), true, {}, LogPosition{m->partition, m->offset}});
      }
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      logging::warn(std::string("kafka: ") + rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  updateLag();
  if (!batch.empty() && sink_) sink_(std::move(batch));
}

// Both numbers are librdkafka's local view (no broker round trip): the position it has
// fetched to, and the high watermark the last fetch response carried. O(partitions).
void KafkaLog::updateLag() {
  const int partitions = lagPartitions_.load();
  if (partitions == 0) return;
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(list, options_.topic.c_str(), p);
  if (rd_kafka_position(consumer_, list) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    for (int i = 0; i < list->cnt; ++i) {
      const auto& tp = list->elems[i];
      std::int64_t low = 0;
      std::int64_t high = 0;
      if (tp.offset < 0 || tp.partition < 0 || tp.partition >= partitions) continue;  // nothing fetched yet
      if (rd_kafka_get_watermark_offsets(consumer_, options_.topic.c_str(), tp.partition, &low, &high) !=
              RD_KAFKA_RESP_ERR_NO_ERROR ||
          high < 0) {
        continue;
      }
      lag_[static_cast<std::size_t>(tp.partition)].store(std::max<std::int64_t>(0, high - tp.offset));
    }
  }
  rd_kafka_topic_partition_list_destroy(list);
}

std::vector<PartitionLag> KafkaLog::consumerLag() const {
  std::vector<PartitionLag> out;
  const int partitions = lagPartitions_.load();
  out.reserve(static_cast<std::size_t>(partitions));
  for (int p = 0; p < partitions; ++p) out.push_back({p, lag_[static_cast<std::size_t>(p)].load()});
  return out;
}

void KafkaLog::append(EventPtr event) {
  if (checkpoints_.newEvent) return appendLinked(std::move(event));
  const std::string payload = event->encode();
  produce(RD_KAFKA_PARTITION_UA, payload, std::move(event), {});
}

bool KafkaLog::produce(std::int32_t partition, const std::string& payload, EventPtr event, const std::string& chain) {
  auto* opaque = new InFlight{this, std::move(event), std::chrono::steady_clock::now(), chain};  // onDelivery owns it
  rd_kafka_resp_err_t err =
      rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(options_.topic.c_str()), RD_KAFKA_V_PARTITION(partition),
                        RD_KAFKA_V_KEY(opaque->event->project.data(), opaque->event->project.size()),
                        RD_KAFKA_V_VALUE(const_cast<char*>(payload.data()), payload.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return true;
  EventPtr failed = std::move(opaque->event);
  const Error error = makeError(error_codes::kLogUnavailable.name, rd_kafka_err2str(err));
  reportAppend(opaque->since, &error);
  delete opaque;
  if (sink_) sink_({Committed{failed, false, error, {}}});
  return false;
}

// A record the broker did not take comes back as failed; a taken one arrives through the
// consumer, like everyone else's.
void KafkaLog::onDelivery(rd_kafka_t* /*producer*/, const rd_kafka_message_t* m, void* /*unused*/) {
  std::unique_ptr<InFlight> sent(static_cast<InFlight*>(m->_private));
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    sent->log->reportAppend(sent->since, nullptr);
    return;
  }
  if (!sent->chain.empty()) sent->log->endChainAfterLoss(m->partition, sent->chain);
  const Error error = makeError(error_codes::kLogUnavailable.name, rd_kafka_err2str(m->err));
  sent->log->reportAppend(sent->since, &error);
  if (sent->log->sink_) sent->log->sink_({Committed{sent->event, false, error, {}}});
}

void KafkaLog::stop() {
  {
    // Closes every chain this process opened: whoever reads the topic knows it ended here.
    std::lock_guard lock(chainMutex_);
    for (auto& [partition, chain] : chains_) produceCheckpoint(partition, chain, true);
    chains_.clear();
    stopped_ = true;  // a chain opened after this would never be closed
  }
  rd_kafka_flush(producer_, options_.messageTimeoutMs);
  rd_kafka_poll(producer_, 0);
}

// ---- chain (any appending thread, under chainMutex_) --------------------------------------

// The partition the `murmur2` partitioner would choose (producerSettings): a project's
// events stay in one partition whether wsd or librdkafka picks it. O(key length).
std::int32_t KafkaLog::partitionOf(const std::string& key) const {
  return rd_kafka_msg_partitioner_murmur2(topic_, key.data(), key.size(), partitions_, nullptr, nullptr);
}

void KafkaLog::appendLinked(EventPtr event) {
  const std::int32_t partition = partitionOf(event->project);
  std::lock_guard lock(chainMutex_);
  PartitionChain* chain = stopped_ ? nullptr : chainIn(partition);
  if (chain == nullptr) {  // stopped, or the opening was refused: so would this be
    const Error error =
        makeError(error_codes::kLogUnavailable.name,
                  stopped_ ? "the log has stopped" : "the producer refused the chain's opening checkpoint");
    reportAppend(Clock::now(), &error);
    if (sink_) sink_({Committed{std::move(event), false, error, {}}});
    return;
  }
  const chain::ChainWriter before = chain->writer;
  const std::string payload = chain->writer.link(*event);
  if (!produce(partition, payload, std::move(event), chain->writer.chain())) {
    chain->writer = before;  // not in the log: the next record links where this one would have
    return;
  }
  ++chain->sinceCheckpoint;
  if (checkpointDue(*chain, Clock::now())) produceCheckpoint(partition, *chain, false);
}

KafkaLog::PartitionChain* KafkaLog::chainIn(std::int32_t partition) {
  if (auto found = chains_.find(partition); found != chains_.end()) return &found->second;
  const int reopened = reopened_[partition];
  std::string name = chainName_ + (reopened == 0 ? "" : "." + std::to_string(reopened));
  PartitionChain& chain =
      chains_.try_emplace(partition, PartitionChain{chain::ChainWriter(std::move(name))}).first->second;
  if (produceCheckpoint(partition, chain, false)) return &chain;
  chains_.erase(partition);
  return nullptr;
}

bool KafkaLog::produceCheckpoint(std::int32_t partition, PartitionChain& chain, bool final) {
  auto checkpoint = checkpoints_.newEvent();
  checkpoint->type = EventType::kLogCheckpoint;
  chain::fillChainCheckpoint(*checkpoint, chain.writer, checkpoints_.policy.key, final);
  const chain::ChainWriter before = chain.writer;
  const std::string payload = chain.writer.link(*checkpoint);
  if (!produce(partition, payload, std::move(checkpoint), chain.writer.chain())) {
    chain.writer = before;
    return false;
  }
  chain.sinceCheckpoint = 0;
  chain.lastCheckpointAt = Clock::now();
  return true;
}

bool KafkaLog::checkpointDue(const PartitionChain& chain, Clock::time_point now) const {
  const auto& policy = checkpoints_.policy;
  if (chain.sinceCheckpoint == 0) return false;
  if (policy.everyRecords > 0 && chain.sinceCheckpoint >= policy.everyRecords) return true;
  return policy.everyMs > 0 && now - chain.lastCheckpointAt >= std::chrono::milliseconds(policy.everyMs);
}

// Backend thread. A record of `chain` that the broker did not take leaves a hole in it
// (`wslog verify --chain` reports it removed, and its client was told log_unavailable):
// records linked after it would lead on from the hole, so the partition gets a new chain.
void KafkaLog::endChainAfterLoss(std::int32_t partition, const std::string& chain) {
  std::lock_guard lock(chainMutex_);
  auto current = chains_.find(partition);
  if (current == chains_.end() || current->second.writer.chain() != chain) return;  // already ended
  chains_.erase(current);
  ++reopened_[partition];
  logging::warn("kafka: a record of chain " + chain + " was lost; partition " + std::to_string(partition) +
                " continues in a new chain");
}

}  // namespace wsd::log
