// The gateways projection (distributed mode): each gateway says it is alive now and then.
// One of the state store's projections (state_store.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsd::store {

class NodeStore {
 public:
  virtual ~NodeStore() = default;

  virtual void nodeSeen(std::string_view node, std::int64_t atMs) = 0;
  virtual void forgetNode(std::string_view node) = 0;
  // Every node seen, with when it was last seen.
  virtual std::vector<std::pair<std::string, std::int64_t>> nodes() const = 0;
};

}  // namespace wsd::store
