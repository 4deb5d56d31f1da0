// The projects-and-tokens projection: which projects exist, their settings, and the tokens
// clients connect with. One of the state store's projections (state_store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/project_settings.h"

namespace wsd::store {

struct ProjectRecord {
  std::string key;
  std::string name;
  std::int64_t createdAt = 0;
  ProjectSettings settings{};
};

struct TokenRecord {
  std::string token;
  std::optional<std::int64_t> expiresAt;  // nullopt: never expires
  std::int64_t createdAt = 0;

  bool validAt(std::int64_t ms) const { return !expiresAt || *expiresAt > ms; }
};

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;

  virtual std::optional<ProjectRecord> project(std::string_view key) const = 0;
  virtual std::vector<ProjectRecord> projects() const = 0;  // sorted by key
  virtual void putProject(const ProjectRecord& project) = 0;
  // Removes the project with its tokens, their mail windows, its inboxes, its room histories and its webhooks. Its
  // sessions, and the rooms they are in, end by their own conn.close events.
  virtual void removeProject(std::string_view key) = 0;
  virtual std::optional<TokenRecord> token(std::string_view project, std::string_view token) const = 0;
  virtual std::vector<TokenRecord> tokens(std::string_view project) const = 0;  // by creation
  virtual void putToken(std::string_view project, const TokenRecord& token) = 0;
  // Removes the token and its mail window.
  virtual void removeToken(std::string_view project, std::string_view token) = 0;
};

}  // namespace wsd::store
