// Choosing the source from the command line: a Kafka topic when brokers are named, else
// the embedded log directory.
#include "log_source.h"

#include "kafka_source.h"
#include "segment_source.h"

namespace wsd::wslog {

Result<std::unique_ptr<LogSource>> openSource(const SourceOptions& options) {
  if (!options.kafkaBrokers.empty()) {
    log::KafkaOptions kafka;
    kafka.brokers = options.kafkaBrokers;
    kafka.topic = options.kafkaTopic;
    auto source = KafkaSource::open(kafka);
    if (!source.ok()) return source.error();
    return std::unique_ptr<LogSource>(std::move(source.value()));
  }
  auto source = SegmentSource::open(options.logDir);
  if (!source.ok()) return source.error();
  return std::unique_ptr<LogSource>(std::move(source.value()));
}

}  // namespace wsd::wslog
