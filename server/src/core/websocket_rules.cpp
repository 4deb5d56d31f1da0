#include "core/websocket_rules.h"

#include <cctype>

#include "core/error_codes.h"

namespace wsd::websocket {
namespace {

bool isBase64Char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/'; }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool isValidKey(std::string_view key) {
  // 16 bytes are 128 bits: 21 characters of 6 bits, a 22nd holding the last 2, then "==".
  constexpr std::size_t kEncodedLength = 24;
  constexpr std::size_t kDataChars = 22;
  if (key.size() != kEncodedLength || key.substr(kDataChars) != "==") return false;
  for (std::size_t i = 0; i < kDataChars; ++i) {
    if (!isBase64Char(key[i])) return false;
  }
  return true;
}

bool offersSubprotocol(std::string_view offered, std::string_view wanted) {
  while (!offered.empty()) {
    const auto comma = offered.find(',');
    if (trimmed(offered.substr(0, comma)) == wanted) return true;
    if (comma == std::string_view::npos) break;
    offered.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<HandshakeRefusal> checkUpgrade(const UpgradeHeaders& headers) {
  if (trimmed(headers.version) != kVersion) {
    return HandshakeRefusal{426, error_codes::kUpgradeRequired.name, "Sec-WebSocket-Version must be 13"};
  }
  if (!isValidKey(trimmed(headers.key))) {
    return HandshakeRefusal{400, error_codes::kBadRequest.name,
                            "Sec-WebSocket-Key must be the base64 encoding of 16 bytes"};
  }
  if (!headers.subprotocols.empty() && !offersSubprotocol(headers.subprotocols, kSubprotocol)) {
    return HandshakeRefusal{400, error_codes::kBadRequest.name,
                            "Sec-WebSocket-Protocol must offer 'wsd' (or be left out): wsd speaks no other"};
  }
  return std::nullopt;
}

bool isReceivableCloseCode(int code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

bool exceedsMessageLimit(std::uint64_t received, std::uint64_t announced, std::uint64_t limit) {
  return received > limit || announced > limit - received;
}

}  // namespace wsd::websocket
