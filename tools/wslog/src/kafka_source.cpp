// Reading a whole topic, partition by partition merged by time (see the header).
#include "kafka_source.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "core/ids.h"
#include "partition_merger.h"

namespace wsd::wslog {
namespace {

constexpr std::size_t kPauseAt = 20000;  // records buffered for one partition
constexpr std::size_t kResumeAt = 5000;  // ... and when it may fetch again
constexpr int kPollTimeoutMs = 10000;    // a broker silent this long while records are due: give up
constexpr int kMetadataTimeoutMs = 10000;

// A consumer that is never a group member: the group id is required by the API only.
Result<rd_kafka_t*> consumerFor(const log::KafkaOptions& options) {
  auto settings = log::consumerSettings(options, "wslog-" + randomHex(6));
  settings.emplace_back("enable.auto.offset.store", "false");
  settings.emplace_back("client.id", "wslog");
  settings.emplace_back("allow.auto.create.topics", "false");    // a mistyped topic is an error, not a new topic
  settings.emplace_back("queued.max.messages.kbytes", "16384");  // librdkafka's prefetch, per partition
  auto consumer = log::makeKafkaClient(RD_KAFKA_CONSUMER, settings);
  if (consumer.ok()) rd_kafka_poll_set_consumer(*consumer);
  return consumer;
}

struct ConsumerGuard {
  rd_kafka_t* consumer;
  ~ConsumerGuard() {
    rd_kafka_consumer_close(consumer);
    rd_kafka_destroy(consumer);
  }
};

// The topic's partitions; an error when the topic does not exist (it is never created here).
Result<std::vector<std::int32_t>> partitionsOf(rd_kafka_t* consumer, const std::string& topic) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(consumer, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(consumer, 0, handle, &metadata, kMetadataTimeoutMs);
  rd_kafka_topic_destroy(handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_unavailable", rd_kafka_err2str(err));
  std::vector<std::int32_t> partitions;
  std::string problem;
  if (metadata->topic_cnt != 1 || metadata->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    problem = metadata->topic_cnt == 1 ? rd_kafka_err2str(metadata->topics[0].err) : "no such topic";
  } else {
    for (int i = 0; i < metadata->topics[0].partition_cnt; ++i)
      partitions.push_back(metadata->topics[0].partitions[i].id);
  }
  rd_kafka_metadata_destroy(metadata);
  if (!problem.empty() || partitions.empty()) {
    return makeError("kafka_topic",
                     "cannot read topic " + topic + ": " + (problem.empty() ? "no partitions" : problem));
  }
  std::sort(partitions.begin(), partitions.end());
  return partitions;
}

Status pause(rd_kafka_t* consumer, const std::string& topic, std::int32_t partition, bool paused) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic.c_str(), partition);
  const rd_kafka_resp_err_t err =
      paused ? rd_kafka_pause_partitions(consumer, list) : rd_kafka_resume_partitions(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_error", rd_kafka_err2str(err));
  return okStatus();
}

// One read: the partitions' ranges, the merge, and which partitions are paused.
class TopicReader {
 public:
  TopicReader(rd_kafka_t* consumer, std::string topic,
              std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> ends,
              const std::vector<std::int32_t>& partitions)
      : consumer_(consumer), topic_(std::move(topic)), ends_(std::move(ends)), merger_(partitions) {
    for (const auto& [p, range] : ends_) {
      if (range.first >= range.second) merger_.finish(p);
    }
  }

  Status run(const LogSource::Visit& visit) {
    if (auto assigned = assign(); !assigned.ok()) return assigned;
    while (!merger_.done()) {
      while (auto record = merger_.pop()) {
        if (!deliver(*record, visit)) return okStatus();
        if (auto resumed = maybeResume(record->position.partition); !resumed.ok()) return resumed;
      }
      if (merger_.done()) break;
      if (auto polled = pollOne(); !polled.ok()) return polled;
    }
    return okStatus();
  }

 private:
  Status assign() {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(ends_.size()));
    for (const auto& [p, range] : ends_) {
      if (range.first < range.second) rd_kafka_topic_partition_list_add(list, topic_.c_str(), p)->offset = range.first;
    }
    const rd_kafka_resp_err_t err = rd_kafka_assign(consumer_, list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return makeError("kafka_assign", rd_kafka_err2str(err));
    return okStatus();
  }

  Status pollOne() {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, kPollTimeoutMs);
    if (m == nullptr) {
      return makeError("kafka_unavailable", "no records from " + topic_ + " within 10 s while some were due");
    }
    Status status = okStatus();
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR)
      status = take(*m);
    else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
      reachedEnd(m->partition, m->offset);
    else if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE)
      status = makeError("kafka_error", rd_kafka_message_errstr(m));
    else
      std::fprintf(stderr, "wslog: kafka: %s\n", rd_kafka_message_errstr(m));
    rd_kafka_message_destroy(m);
    return status;
  }

  // Decodes the record and hands it on; false when the visitor wants no more.
  static bool deliver(const BufferedRecord& record, const LogSource::Visit& visit) {
    auto event = Event::decode(record.payload);
    if (event.ok()) return visit(LogRecord{record.position, record.payload, &event.value()});
    std::fprintf(stderr, "wslog: skipped record %s: %s\n", positionText(record.position, true).c_str(),
                 event.error().message.c_str());
    return true;
  }

  Status take(const rd_kafka_message_t& m) {
    auto it = ends_.find(m.partition);
    if (it == ends_.end() || m.offset >= it->second.second) return okStatus();  // appended after we opened
    std::string payload(static_cast<const char*>(m.payload), m.len);
    const std::int64_t ts = eventTime(payload);
    merger_.push({{m.partition, m.offset}, std::move(payload), ts});
    reachedEnd(m.partition, m.offset + 1);
    if (merger_.buffered(m.partition) >= kPauseAt && !paused_.contains(m.partition)) {
      paused_.insert(m.partition);
      return pause(consumer_, topic_, m.partition, true);
    }
    return okStatus();
  }

  void reachedEnd(std::int32_t partition, std::int64_t next) {
    auto it = ends_.find(partition);
    if (it != ends_.end() && next >= it->second.second) merger_.finish(partition);
  }

  Status maybeResume(std::int32_t partition) {
    if (!paused_.contains(partition) || merger_.buffered(partition) > kResumeAt) return okStatus();
    paused_.erase(partition);
    return pause(consumer_, topic_, partition, false);
  }

  rd_kafka_t* consumer_;
  std::string topic_;
  std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> ends_;  // partition -> [from, to)
  PartitionMerger merger_;
  std::set<std::int32_t> paused_;
};

}  // namespace

Result<std::unique_ptr<KafkaSource>> KafkaSource::open(const log::KafkaOptions& options) {
  auto consumer = consumerFor(options);
  if (!consumer.ok()) return consumer.error();
  ConsumerGuard guard{*consumer};
  auto partitions = partitionsOf(*consumer, options.topic);
  if (!partitions.ok()) return partitions.error();
  std::map<std::int32_t, Range> ranges;
  for (auto p : *partitions) {
    Range range;
    const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(*consumer, options.topic.c_str(), p, &range.low,
                                                                     &range.high, kMetadataTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return makeError("kafka_unavailable", "watermarks of " + options.topic + " partition " + std::to_string(p) +
                                                ": " + rd_kafka_err2str(err));
    }
    ranges[p] = range;
  }
  return std::unique_ptr<KafkaSource>(new KafkaSource(options, std::move(ranges)));
}

std::uint64_t KafkaSource::recordCount() const {
  std::uint64_t total = 0;
  for (const auto& [p, range] : ranges_) total += static_cast<std::uint64_t>(range.high - range.low);
  return total;
}

Status KafkaSource::read(const std::optional<Offsets>& until, const Visit& visit) {
  std::map<std::int32_t, std::pair<std::int64_t, std::int64_t>> ends;
  std::vector<std::int32_t> partitions;
  for (const auto& [p, range] : ranges_) {
    std::int64_t end = range.high;
    if (until) {
      auto it = until->find(p);
      end = it == until->end() ? range.low : std::min(end, it->second);
    }
    ends[p] = {range.low, std::max(range.low, end)};
    partitions.push_back(p);
  }
  auto consumer = consumerFor(options_);
  if (!consumer.ok()) return consumer.error();
  ConsumerGuard guard{*consumer};
  TopicReader reader(*consumer, options_.topic, std::move(ends), partitions);
  return reader.run(visit);
}

}  // namespace wsd::wslog
