#include "core/session_secret.h"

#include <openssl/sha.h>

#include "core/constant_time.h"
#include "core/ids.h"

namespace wsd {
namespace {

// Domain separation: a connId is never the plain hash of a string used elsewhere.
constexpr std::string_view kConnIdContext = "wsd.session.conn\n";
constexpr std::size_t kConnIdBytes = 16;
constexpr std::size_t kSecretBytes = 16;

}  // namespace

SessionKeys newSessionKeys() {
  SessionKeys keys;
  keys.secret = randomHex(kSecretBytes);
  keys.conn = connIdOf(keys.secret);
  return keys;
}

std::string connIdOf(std::string_view secret) {
  std::string input;
  input.reserve(kConnIdContext.size() + secret.size());
  input.append(kConnIdContext).append(secret);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string conn;
  conn.reserve(2 * kConnIdBytes);
  for (std::size_t i = 0; i < kConnIdBytes; ++i) {
    conn.push_back(kHex[digest[i] >> 4]);
    conn.push_back(kHex[digest[i] & 15]);
  }
  return conn;
}

bool provesSession(std::string_view secret, std::string_view conn) {
  if (secret.empty() || conn.size() != 2 * kConnIdBytes) return false;
  return equalInConstantTime(connIdOf(secret), conn);
}

}  // namespace wsd
