// Where wslog reads events from: the embedded log directory (SegmentSource) or a Kafka
// topic (KafkaSource). Both only read: the embedded log is opened read-only (a live
// wsd's log is never repaired or truncated from here), and a topic is read with
// assign() from its beginning, with no consumer group joined and nothing committed.
//
// A source reads the log as it was when the source was opened: records appended later
// are not seen, so two passes over it (the --uid filters) see the same records.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "record.h"

namespace wsd::wslog {

class LogSource {
 public:
  // Returns false to stop reading.
  using Visit = std::function<bool(const LogRecord&)>;

  virtual ~LogSource() = default;
  // Every record in order, up to `until` (nullopt: to the end). A topic's partitions are
  // merged by event time, each kept in its own order. A record that is not an event is
  // reported on stderr and skipped.
  virtual Status read(const std::optional<Offsets>& until, const Visit& visit) = 0;
  // How many records read() visits without a bound (for the progress indicator).
  virtual std::uint64_t recordCount() const = 0;
  // Whether positions need a partition ("2:17") to be told apart.
  virtual bool partitioned() const = 0;
  // The name a projection of this log keeps its offsets under: wsd:offsets:NAME (the
  // topic; "embedded" for the embedded log).
  virtual std::string offsetsName() const = 0;
};

struct SourceOptions {
  std::string logDir;                     // DATA_DIR/log of an embedded-mode wsd
  std::string kafkaBrokers;               // or a Kafka cluster ...
  std::string kafkaTopic = "wsd.events";  // ... and the topic
};

Result<std::unique_ptr<LogSource>> openSource(const SourceOptions& options);

}  // namespace wsd::wslog
