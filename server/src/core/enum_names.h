// A fixed table between an enum and its wire names, for the message and event types.
// Lookups are linear: the tables have about twenty entries and live in cache.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace wsd {

template <typename Enum, std::size_t N>
class EnumNames {
 public:
  constexpr explicit EnumNames(std::array<std::pair<Enum, std::string_view>, N> entries) : entries_(entries) {}

  constexpr std::string_view name(Enum value) const {
    for (const auto& [v, n] : entries_) {
      if (v == value) return n;
    }
    return "unknown";
  }

  constexpr std::optional<Enum> parse(std::string_view name) const {
    for (const auto& [v, n] : entries_) {
      if (n == name) return v;
    }
    return std::nullopt;
  }

 private:
  std::array<std::pair<Enum, std::string_view>, N> entries_;
};

}  // namespace wsd
