// The time-ordered merge of partitions (see the header).
#include "partition_merger.h"

#include <rapidjson/reader.h>

namespace wsd::wslog {
namespace {

// SAX handler: watches for the key "ts" at depth 1 and stops the parse at its value.
struct TsFinder : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TsFinder> {
  int depth = 0;
  bool atTs = false;
  std::int64_t ts = 0;

  bool Default() {
    atTs = false;  // "ts" holds something that is not an integer: keep looking (Event::decode says 0)
    return true;
  }
  bool Int(int v) { return number(v); }
  bool Uint(unsigned v) { return number(v); }
  bool Int64(std::int64_t v) { return number(v); }
  bool Uint64(std::uint64_t v) { return number(static_cast<std::int64_t>(v)); }
  bool Key(const char* k, rapidjson::SizeType n, bool) {
    atTs = depth == 1 && std::string_view(k, n) == "ts";
    return true;
  }
  bool StartObject() {
    ++depth;
    return Default();
  }
  bool EndObject(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool StartArray() {
    ++depth;
    return Default();
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
  bool number(std::int64_t v) {
    if (!atTs) return true;
    ts = v;
    return false;  // found: stop here
  }
};

}  // namespace

std::int64_t eventTime(std::string_view payload) {
  TsFinder finder;
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(payload.data(), payload.size());
  reader.Parse(stream, finder);
  return finder.ts;
}

PartitionMerger::PartitionMerger(const std::vector<std::int32_t>& partitions) {
  for (auto p : partitions) lanes_[p];
}

void PartitionMerger::push(BufferedRecord record) {
  lanes_[record.position.partition].records.push_back(std::move(record));
}

void PartitionMerger::finish(std::int32_t partition) { lanes_[partition].finished = true; }

std::optional<BufferedRecord> PartitionMerger::pop() {
  Lane* best = nullptr;
  for (auto& [partition, lane] : lanes_) {
    if (lane.records.empty()) {
      if (!lane.finished) return std::nullopt;  // its next record might be the earliest
      continue;
    }
    if (best == nullptr || lane.records.front().ts < best->records.front().ts) best = &lane;
  }
  if (best == nullptr) return std::nullopt;
  BufferedRecord record = std::move(best->records.front());
  best->records.pop_front();
  return record;
}

bool PartitionMerger::done() const {
  for (const auto& [partition, lane] : lanes_) {
    if (!lane.finished || !lane.records.empty()) return false;
  }
  return true;
}

std::size_t PartitionMerger::buffered(std::int32_t partition) const {
  auto it = lanes_.find(partition);
  return it == lanes_.end() ? 0 : it->second.records.size();
}

std::vector<std::int32_t> PartitionMerger::starved() const {
  std::vector<std::int32_t> out;
  for (const auto& [partition, lane] : lanes_) {
    if (!lane.finished && lane.records.empty()) out.push_back(partition);
  }
  return out;
}

}  // namespace wsd::wslog
