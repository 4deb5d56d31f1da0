#include "core/room_history.h"

#include <algorithm>

namespace wsd::room_history {

using store::RoomMessage;

std::optional<Position> position(const rapidjson::Value* since) {
  if (since == nullptr || !since->IsObject()) return std::nullopt;
  return Position{json::int64(*since, "offset").value_or(0), json::string(*since, "epoch").value_or("")};
}

bool sameEpoch(const store::RoomStream& stream, const Position& since) {
  if (since.offset == 0 && since.epoch.empty()) return true;
  return since.epoch == stream.epoch;
}

std::vector<RoomMessage> unexpired(std::vector<RoomMessage> retained, std::int64_t readTs, std::int64_t ttlMs) {
  std::erase_if(retained, [&](const RoomMessage& m) { return m.ts < readTs - ttlMs; });
  return retained;
}

namespace {

std::vector<RoomMessage> newerThan(const std::vector<RoomMessage>& retained, std::int64_t offset) {
  std::vector<RoomMessage> out;
  std::copy_if(retained.begin(), retained.end(), std::back_inserter(out),
               [&](const RoomMessage& m) { return m.offset > offset; });
  return out;
}

}  // namespace

Recovery recover(const store::RoomStream& stream, const std::vector<RoomMessage>& retained, const Position& since) {
  if (!sameEpoch(stream, since)) return {false, "epoch_changed", {}};
  if (since.offset > stream.offset) return {false, "unknown_offset", {}};
  auto missed = newerThan(retained, since.offset);
  // Complete when nothing was missed, or when the oldest retained one is the very next:
  // offsets are consecutive, so then none between is missing.
  const bool complete = since.offset == stream.offset || (!missed.empty() && missed.front().offset == since.offset + 1);
  return {complete, complete ? std::string_view{} : std::string_view{"history_trimmed"}, std::move(missed)};
}

Page newest(const std::vector<RoomMessage>& retained, std::size_t limit) {
  const std::size_t start = retained.size() > limit ? retained.size() - limit : 0;
  return {{retained.begin() + static_cast<std::ptrdiff_t>(start), retained.end()}, start > 0};
}

Page after(const std::vector<RoomMessage>& retained, std::int64_t afterOffset, std::size_t limit) {
  auto newer = newerThan(retained, afterOffset);
  const bool more = newer.size() > limit;
  if (more) newer.resize(limit);
  return {std::move(newer), more};
}

Page before(const std::vector<RoomMessage>& retained, std::int64_t beforeOffset, std::size_t limit) {
  std::vector<RoomMessage> older;
  std::copy_if(retained.begin(), retained.end(), std::back_inserter(older),
               [&](const RoomMessage& m) { return m.offset < beforeOffset; });
  return newest(older, limit);
}

}  // namespace wsd::room_history
