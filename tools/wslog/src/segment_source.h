// LogSource over the embedded log's segment files (log/segment_log.h), opened read-only.
#pragma once

#include <memory>

#include "log/segment_log.h"
#include "log_source.h"

namespace wsd::wslog {

class SegmentSource final : public LogSource {
 public:
  static Result<std::unique_ptr<SegmentSource>> open(const std::string& directory);

  Status read(const std::optional<Offsets>& until, const Visit& visit) override;
  std::uint64_t recordCount() const override { return log_->nextOffset(); }
  bool partitioned() const override { return false; }
  std::string offsetsName() const override { return "embedded"; }

 private:
  explicit SegmentSource(std::unique_ptr<log::SegmentLog> log) : log_(std::move(log)) {}
  std::unique_ptr<log::SegmentLog> log_;
};

}  // namespace wsd::wslog
