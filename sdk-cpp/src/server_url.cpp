// Parses Options::url and builds endpoint strings. No allocation tricks: runs once per
// connection attempt.
#include "server_url.h"

#include <charconv>

namespace wsclient::detail {
namespace {

Status invalid(std::string message) { return Status{ErrorCode::kInvalidOptions, "url: " + std::move(message)}; }

// Splits "host[:port]" (IPv6 as "[::1]:port") into the url's host and port.
Status parseAuthority(std::string_view authority, ServerUrl& out) {
  std::string_view portText;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unclosed '[' in the host");
    out.host = std::string(authority.substr(1, close - 1));
    const auto rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return invalid("junk after the IPv6 host");
    if (!rest.empty()) portText = rest.substr(1);
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
  }
  if (out.host.empty()) return invalid("no host");
  if (out.host.find('@') != std::string::npos) return invalid("user info is not supported");
  if (portText.empty()) return Status{};
  int port = 0;
  const auto [end, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
  if (ec != std::errc{} || end != portText.data() + portText.size() || port <= 0 || port > 65535) {
    return invalid("bad port '" + std::string(portText) + "'");
  }
  out.port = port;
  return Status{};
}

}  // namespace

Result<ServerUrl> parseServerUrl(std::string_view url) {
  ServerUrl out;
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return invalid("expected http://, https://, ws:// or wss://");
  const std::string_view name = url.substr(0, scheme);
  if (name == "https" || name == "wss")
    out.secure = true;
  else if (name != "http" && name != "ws")
    return invalid("unsupported scheme '" + std::string(name) + "'");
  std::string_view rest = url.substr(scheme + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) return invalid("no query or fragment, please");
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) out.prefix = std::string(rest.substr(slash));
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  out.port = out.secure ? 443 : 80;
  if (Status status = parseAuthority(authority, out); !status.ok()) return status;
  return out;
}

std::string hostHeader(const ServerUrl& url) {
  const bool v6 = url.host.find(':') != std::string::npos;
  return (v6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

std::string httpOrigin(const ServerUrl& url) { return (url.secure ? "https://" : "http://") + hostHeader(url); }

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '_' || byte == '.' || byte == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string sessionQuery(std::string_view project, std::string_view token, Mode mode) {
  return "project=" + percentEncode(project) + "&token=" + percentEncode(token) +
         "&mode=" + (mode == Mode::kLong ? "long" : "short");
}

}  // namespace wsclient::detail
