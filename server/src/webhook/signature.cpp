#include "webhook/signature.h"

#include "core/hmac.h"

namespace wsd::webhook {

std::string signatureHeader(std::string_view secret, std::int64_t unixSeconds, std::string_view body) {
  std::string signed_ = std::to_string(unixSeconds);
  signed_.push_back('.');
  signed_.append(body);
  return "sha256=" + hmacSha256Hex(secret, signed_);
}

}  // namespace wsd::webhook
