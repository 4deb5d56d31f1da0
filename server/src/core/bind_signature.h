// Signed bind: how an app backend vouches that a client may act as a uid. The backend
// signs "<uid>:<exp>" (exp in Unix seconds, decimal) with HMAC-SHA256 under one of the
// project's server secrets and hands the client `exp` and the hex `sig`; the client puts
// both in its bind. Holding a project token then no longer lets a client claim any uid.
//
// Pure: the caller passes the secrets and the time, and records the verdict in the
// uid.bind event (core/decide.cpp), so replaying the log never verifies again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wsd {

enum class BindSignature {
  kAbsent,    // no exp/sig, and the project does not ask for them
  kValid,     // signed with a valid secret, not expired
  kRequired,  // the project asks for a signature and the bind has none
  kInvalid,   // malformed, or made with no secret valid now
  kExpired,   // well signed, but exp is not in the future
};

// What a bind carries: both fields, one, or neither (the schema asks for both or neither).
struct BindClaim {
  std::string_view uid;
  std::optional<std::int64_t> exp;  // Unix seconds
  std::optional<std::string_view> sig;
};

// The lowercase hex HMAC-SHA256 of "<uid>:<exp>" under `secret`: what a backend sends.
std::string bindSignatureHex(std::string_view secret, std::string_view uid, std::int64_t exp);

// Checks `claim` against every secret in `secrets` (each one compared in constant time,
// and all of them, so the time taken says nothing about which matched). `nowMs` is the
// deciding gateway's clock: exp must be after it.
BindSignature verifyBind(const BindClaim& claim, bool required, const std::vector<std::string>& secrets,
                         std::int64_t nowMs);

// The error code a client is told for a refusing verdict (bind_signature_required, ...);
// empty for kAbsent and kValid.
std::string_view bindSignatureErrorCode(BindSignature verdict);
// The `msg` that goes with it: what the client (or its backend) must change.
std::string_view bindSignatureErrorMessage(BindSignature verdict);

}  // namespace wsd
