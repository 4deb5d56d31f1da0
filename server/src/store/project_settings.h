// A project's settings: the rules its clients and its backend are held to, changed only by
// the admin API through project.update and project.secret events (so every gateway and
// every replay applies the same rules at the same place in the log).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace wsd::store {

// A secret the project's backend holds: it authenticates server API calls and signs binds.
struct ServerSecret {
  std::string secret;
  std::int64_t createdAt = 0;
  std::optional<std::int64_t> validUntil;  // set when a newer secret replaced it
};

// Room history retention (docs/protocol.md, "Room messages, history and recovery").
inline constexpr std::int64_t kDefaultRoomHistorySize = 100;   // messages kept per room
inline constexpr std::int64_t kMaxRoomHistorySize = 10000;     // bounds one room's retained history
inline constexpr std::int64_t kDefaultRoomHistoryTtl = 86400;  // seconds: one day
inline constexpr std::int64_t kMaxRoomHistoryTtl = 2592000;    // seconds: 30 days
static_assert(kDefaultRoomHistorySize <= kMaxRoomHistorySize && kDefaultRoomHistoryTtl <= kMaxRoomHistoryTtl);

struct ProjectSettings {
  bool signedBind = false;                                 // bind must carry exp + sig made with a secret
  std::vector<std::string> allowedOrigins;                 // browser Origins allowed to connect; empty: any
  std::int64_t maxConnections = 0;                         // live connections in the project; 0: no cap
  bool offlineAtLeastOnce = false;                         // stored messages stay until acknowledged or expired
  std::int64_t roomHistorySize = kDefaultRoomHistorySize;  // messages kept per room; 0: none
  std::int64_t roomHistoryTtl = kDefaultRoomHistoryTtl;    // seconds a room message is kept
  std::vector<ServerSecret> secrets;                       // the current one first

  // Whether `secret` is one of the project's secrets still valid at `ms`. Compares in
  // constant time, so a guess learns nothing from how long the answer took.
  bool secretValidAt(std::string_view secret, std::int64_t ms) const;
  // The secrets still valid at `ms`, current first.
  std::vector<std::string> validSecrets(std::int64_t ms) const;

  // Changes the fields `patch` names (signedBind, allowedOrigins, maxConnections,
  // offlineDelivery, roomHistorySize, roomHistoryTtl: the shape of PATCH /project's `settings` and of project.update).
  // The patch was checked against its schema before it reached the log.
  void apply(const rapidjson::Value& patch);
  // What an admin sees: everything but the secrets, and whether there is one.
  void writePublic(json::Writer& w, std::int64_t nowMs) const;
  // Everything, secrets included: the state store's record.
  void writeStored(json::Writer& w) const;
  static ProjectSettings readStored(const rapidjson::Value& stored);
};

}  // namespace wsd::store
