// Reading the embedded log without changing it (SegmentLog's read-only mode).
#include "segment_source.h"

#include <algorithm>
#include <cstdio>

namespace wsd::wslog {

Result<std::unique_ptr<SegmentSource>> SegmentSource::open(const std::string& directory) {
  log::SegmentLog::Options options;
  options.directory = directory;
  options.read_only = true;
  options.warn = [](const std::string& w) { std::fprintf(stderr, "wslog: %s\n", w.c_str()); };
  auto log = log::SegmentLog::open(options);
  if (!log.ok()) return log.error();
  return std::unique_ptr<SegmentSource>(new SegmentSource(std::move(log.value())));
}

// SegmentLog::replay cannot stop early: after a stop (or past `until`) the remaining
// records are passed over without being decoded, which costs reading them only.
Status SegmentSource::read(const std::optional<Offsets>& until, const Visit& visit) {
  std::int64_t end = static_cast<std::int64_t>(log_->nextOffset());
  if (until) {
    auto it = until->find(0);
    end = it == until->end() ? 0 : std::min(end, it->second);
  }
  bool stopped = end == 0;
  return log_->replay(0, [&](log::Offset offset, std::string_view payload) {
    const auto position = static_cast<std::int64_t>(offset);
    if (stopped || position >= end) return;
    auto event = Event::decode(payload);
    if (!event.ok()) {
      std::fprintf(stderr, "wslog: skipped record %lld: %s\n", static_cast<long long>(position),
                   event.error().message.c_str());
      return;
    }
    stopped = !visit(LogRecord{{0, position}, payload, &event.value()});
  });
}

}  // namespace wsd::wslog
