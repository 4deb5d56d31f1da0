#include "core/http_request.h"

#include <charconv>

namespace wsd {

std::string HttpRequest::param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return {};
}

std::string HttpRequest::cookieValue(std::string_view name) const {
  std::string_view rest = cookie;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    rest.remove_prefix(semi + 1);
  }
  return {};
}

std::string_view pathOfUri(std::string_view uri) { return uri.substr(0, uri.find('?')); }

std::pair<std::string, std::string> splitQueryArgument(std::string_view argument) {
  auto eq = argument.find('=');
  if (eq == std::string_view::npos) return {std::string(argument), std::string()};
  return {std::string(argument.substr(0, eq)), std::string(argument.substr(eq + 1))};
}

std::optional<LastEventId> parseLastEventId(std::string_view header) {
  auto colon = header.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  LastEventId id{std::string(header.substr(0, colon)), 0};
  const char* first = header.data() + colon + 1;
  const char* last = header.data() + header.size();
  if (std::from_chars(first, last, id.seq).ec != std::errc{}) return std::nullopt;
  return id;
}

}  // namespace wsd
