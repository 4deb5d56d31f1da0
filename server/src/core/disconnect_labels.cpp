#include "core/disconnect_labels.h"

#include <algorithm>
#include <cassert>
#include <charconv>

namespace wsd::disconnect {
namespace {

std::size_t reasonIndex(std::string_view reason) {
  return static_cast<std::size_t>(std::find(kReasons.begin(), kReasons.end(), reason) - kReasons.begin());
}

// What a close code says when its reason is not one of kReasons.
std::string_view reasonOfCode(int code) {
  switch (code) {
    case 1002: return "protocol_error";
    case 1003: return "binary_frame";
    case error_codes::kMessageTooBig.closeCode: return error_codes::kMessageTooBig.name;
    case error_codes::kKicked.closeCode: return error_codes::kKicked.name;
    default: return "other";
  }
}

std::size_t codeIndex(int code) {
  char digits[12];
  const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), code);
  const std::string_view text(digits, ec == std::errc() ? static_cast<std::size_t>(end - digits) : 0);
  return static_cast<std::size_t>(std::find(kCodes.begin(), kCodes.end() - 1, text) - kCodes.begin());
}

}  // namespace

Labels labelsFor(int code, std::string_view reason) {
  Labels labels;
  labels.code = codeIndex(code);
  if (reason == "closed by client") {
    labels.reason = reasonIndex("client_closed");
  } else if (reason == "connection lost") {
    labels.reason = reasonIndex("connection_lost");
  } else if (code == error_codes::kKicked.closeCode) {
    labels.reason = reasonIndex(error_codes::kKicked.name);  // the app's backend chose the words: never a label
  } else {
    labels.reason = reasonIndex(reason);
    if (labels.reason == kReasons.size()) labels.reason = reasonIndex(reasonOfCode(code));
  }
  assert(labels.reason < kReasons.size() && labels.code < kCodes.size());
  return labels;
}

}  // namespace wsd::disconnect
