// LogSource over a Kafka topic: every partition, from its low watermark to the high
// watermark it had when the source was opened. The consumer assign()s the partitions
// itself (no group is joined, nothing is committed: enable.auto.commit is off and no
// offset is ever stored), so reading never disturbs wsd's projectors or other readers.
//
// Memory: at most about kPauseAt records (their bytes) per partition are buffered for the
// time-ordered merge, and librdkafka prefetches up to 16 MB per partition; a partition
// that gets that far ahead is paused until the others catch up.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>

#include "log/kafka_client.h"
#include "log_source.h"

namespace wsd::wslog {

class KafkaSource final : public LogSource {
 public:
  static Result<std::unique_ptr<KafkaSource>> open(const log::KafkaOptions& options);

  Status read(const std::optional<Offsets>& until, const Visit& visit) override;
  std::uint64_t recordCount() const override;
  bool partitioned() const override { return true; }
  std::string offsetsName() const override { return options_.topic; }

 private:
  struct Range {
    std::int64_t low = 0;   // first offset still in the topic
    std::int64_t high = 0;  // next offset when the source was opened
  };
  KafkaSource(log::KafkaOptions options, std::map<std::int32_t, Range> ranges)
      : options_(std::move(options)), ranges_(std::move(ranges)) {}

  log::KafkaOptions options_;
  std::map<std::int32_t, Range> ranges_;  // partition -> what is there to read
};

}  // namespace wsd::wslog
