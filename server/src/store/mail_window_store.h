// The mail rate-limit projection: per token, when its accepted mails were requested. One
// of the state store's projections (state_store.h).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace wsd::store {

class MailWindowStore {
 public:
  virtual ~MailWindowStore() = default;

  // When the token's accepted mails were requested (ms, oldest first), as far back as
  // the window the projector last applied; empty when none.
  virtual std::vector<std::int64_t> mailWindow(std::string_view project, std::string_view token) const = 0;
  // Replaces the window; an empty one is forgotten.
  virtual void putMailWindow(std::string_view project, std::string_view token,
                             std::vector<std::int64_t> requestedAt) = 0;
};

}  // namespace wsd::store
