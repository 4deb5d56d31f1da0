// Reading a live wsd's state snapshot (see the header).
#include "live_state.h"

#include <charconv>

#include "core/json.h"

namespace wsd::wslog {
namespace {

Error bad(const std::string& what) { return makeError("bad_snapshot", "the state snapshot " + what); }

Result<Offsets> readOffsetsObject(const rapidjson::Value* value) {
  if (value == nullptr || !value->IsObject()) return bad("has no offsets object");
  Offsets offsets;
  for (const auto& m : value->GetObject()) {
    const auto name = json::view(m.name);
    std::int32_t partition = -1;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), partition);
    if (ec != std::errc{} || end != name.data() + name.size() || partition < 0 || !m.value.IsInt64() ||
        m.value.GetInt64() < 0) {
      return bad("has a bad offset entry '" + std::string(name) + "'");
    }
    offsets[partition] = m.value.GetInt64();
  }
  return offsets;
}

Result<ProjectorLimits> readLimits(const rapidjson::Value* value) {
  const auto inbox = value != nullptr ? json::int64(*value, "maxInbox") : std::nullopt;
  const auto rooms = value != nullptr ? json::int64(*value, "maxRoomsPerConn") : std::nullopt;
  if (!inbox || !rooms || *inbox < 1 || *rooms < 1) return bad("has no limits {maxInbox, maxRoomsPerConn}");
  return ProjectorLimits{static_cast<std::size_t>(*inbox), static_cast<std::size_t>(*rooms)};
}

}  // namespace

Result<LiveState> parseLiveState(std::string_view body) {
  json::Document doc;
  if (!json::parse(doc, body) || !doc.IsObject()) return bad("is not a JSON object");
  LiveState live;
  live.node = json::string(doc, "node").value_or("");
  auto logName = json::string(doc, "log");
  auto applied = json::int64(doc, "applied");
  if (!logName || !applied || *applied < 0) return bad("lacks log or applied");
  live.logName = *logName;
  live.applied = static_cast<std::uint64_t>(*applied);
  auto offsets = readOffsetsObject(json::member(doc, "offsets"));
  if (!offsets.ok()) return offsets.error();
  live.offsets = std::move(offsets.value());
  auto limits = readLimits(json::member(doc, "limits"));
  if (!limits.ok()) return limits.error();
  live.limits = *limits;
  const auto* keys = json::member(doc, "keys");
  if (keys == nullptr) return bad("has no keys");
  auto snapshot = store::readEntries(*keys);
  if (!snapshot.ok()) return snapshot.error();
  live.snapshot = std::move(snapshot.value());
  return live;
}

std::vector<std::string> positionShortfalls(const Offsets& live, const Offsets& replayed, bool partitioned) {
  std::vector<std::string> out;
  for (const auto& [partition, next] : live) {
    auto it = replayed.find(partition);
    const std::int64_t reached = it == replayed.end() ? 0 : it->second;
    if (reached >= next) continue;
    out.push_back((partitioned ? "partition " + std::to_string(partition) : std::string("the log")) +
                  ": the log read here ends at offset " + std::to_string(reached) + ", the live state reflects 0.." +
                  std::to_string(next - 1) + " (" + std::to_string(next - reached) + " record(s) missing)");
  }
  return out;
}

}  // namespace wsd::wslog
