// A hash for unordered containers keyed by std::string that also takes string_views, so
// a lookup by a view into a message or another string builds no std::string (and, for
// keys past the small-string size, allocates nothing).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace wsd {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
};

// unordered_map<std::string, T> with lookups by string_view.
template <typename T>
using StringMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

}  // namespace wsd
