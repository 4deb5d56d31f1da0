#include "core/bind_signature.h"

#include <cctype>

#include "core/constant_time.h"
#include "core/error_codes.h"
#include "core/hmac.h"

namespace wsd {
namespace {

constexpr std::size_t kHexLength = 64;  // SHA-256: 32 bytes

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string bindSignatureHex(std::string_view secret, std::string_view uid, std::int64_t exp) {
  return hmacSha256Hex(secret, std::string(uid) + ":" + std::to_string(exp));
}

BindSignature verifyBind(const BindClaim& claim, bool required, const std::vector<std::string>& secrets,
                         std::int64_t nowMs) {
  if (!claim.exp && !claim.sig) return required ? BindSignature::kRequired : BindSignature::kAbsent;
  if (!claim.exp || !claim.sig || claim.sig->size() != kHexLength) return BindSignature::kInvalid;
  const std::string given = lowercase(*claim.sig);
  bool match = false;
  for (const auto& secret : secrets) {
    const std::string expected = bindSignatureHex(secret, claim.uid, *claim.exp);
    if (equalInConstantTime(expected, given)) match = true;
  }
  if (!match) return BindSignature::kInvalid;
  // Seconds against milliseconds: an exp of the current second has already begun to pass.
  if (*claim.exp <= nowMs / 1000) return BindSignature::kExpired;
  return BindSignature::kValid;
}

std::string_view bindSignatureErrorCode(BindSignature verdict) {
  switch (verdict) {
    case BindSignature::kRequired: return error_codes::kBindSignatureRequired.name;
    case BindSignature::kInvalid: return error_codes::kBindSignatureInvalid.name;
    case BindSignature::kExpired: return error_codes::kBindSignatureExpired.name;
    case BindSignature::kAbsent:
    case BindSignature::kValid: return {};
  }
  return {};
}

std::string_view bindSignatureErrorMessage(BindSignature verdict) {
  switch (verdict) {
    case BindSignature::kRequired: return "this project needs a signed bind: exp and sig made by your backend";
    case BindSignature::kInvalid: return "the bind signature does not match uid and exp under any valid secret";
    case BindSignature::kExpired: return "the bind signature has expired (exp is not in the future)";
    case BindSignature::kAbsent:
    case BindSignature::kValid: return {};
  }
  return {};
}

}  // namespace wsd
