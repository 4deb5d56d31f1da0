// Lookups over the code tables of include/wsclient/codes.h. O(rows) scans: the tables are
// a few dozen rows and are read on error paths only.
#include "wsclient/codes.h"

namespace wsclient {

const ErrorCodeInfo& describe(ErrorCode code) {
  for (const auto& row : kErrorCodes) {
    if (row.code == code) return row;
  }
  return describe(ErrorCode::kUnknown);
}

ErrorCode errorCodeFromWire(std::string_view wire) {
  if (wire.empty()) return ErrorCode::kNone;
  for (const auto& row : kErrorCodes) {
    if (!row.local && wire == row.wire) return row.code;
  }
  return ErrorCode::kUnknown;
}

const char* wireName(ErrorCode code) { return describe(code).wire; }

bool closeAllowsReconnect(int code, std::string_view reason) {
  for (const auto& row : kCloseCodes) {
    const std::string_view rowReason = row.reason;
    if (row.code == code && (rowReason.empty() || rowReason == reason)) return row.reconnect;
  }
  return true;
}

}  // namespace wsclient
