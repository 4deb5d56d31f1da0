#include "gateway/sessions/origin_policy.h"

#include <cctype>
#include <optional>

namespace wsd {
namespace {

struct Origin {
  std::string scheme;
  std::string host;
  std::string port;

  bool operator==(const Origin&) const = default;
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string defaultPort(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return "80";
  if (scheme == "https" || scheme == "wss") return "443";
  return {};
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// scheme://host[:port], with at most a trailing "/" (an allowlist entry copied from an
// address bar); nullopt for anything else.
std::optional<Origin> parse(std::string_view text) {
  auto sep = text.find("://");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  Origin o{lowercase(text.substr(0, sep)), {}, {}};
  std::string_view rest = text.substr(sep + 3);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  std::size_t hostEnd = rest.size();
  if (rest.front() == '[') {  // IPv6 literal: the port comes after the bracket
    auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hostEnd = close + 1;
  } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    hostEnd = colon;
  }
  o.host = lowercase(rest.substr(0, hostEnd));
  std::string_view port = rest.substr(hostEnd);
  if (!port.empty()) {
    if (port.front() != ':' || !allDigits(port.substr(1))) return std::nullopt;
    o.port = std::string(port.substr(1));
  } else {
    o.port = defaultPort(o.scheme);
  }
  if (o.host.empty()) return std::nullopt;
  return o;
}

bool sameOrigin(std::string_view origin, std::string_view entry) {
  auto a = parse(origin);
  auto b = parse(entry);
  if (a && b) return *a == *b;
  return !a && !b && lowercase(origin) == lowercase(entry);
}

}  // namespace

bool originAllowed(std::string_view origin, const std::vector<std::string>& allowed) {
  if (allowed.empty() || origin.empty()) return true;
  for (const auto& entry : allowed) {
    if (sameOrigin(origin, entry)) return true;
  }
  return false;
}

}  // namespace wsd
