// Identifiers: event ids that sort by time (ULID layout: 48-bit milliseconds then 80
// random bits, Crockford base32, monotonic within one millisecond), and unguessable
// secrets for connection ids and tokens.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>

namespace wsd {

// Threads: one generator per thread; not thread-safe.
class IdGenerator {
 public:
  IdGenerator();
  // A 26-character id, strictly greater than every id this generator returned before.
  std::string next(std::int64_t now_ms);

 private:
  std::mt19937_64 rng_;
  std::int64_t last_ms_ = -1;
  std::array<std::uint8_t, 10> last_random_{};
};

// `bytes` random bytes from the OS as lowercase hex (2 * bytes characters).
std::string randomHex(std::size_t bytes);

}  // namespace wsd
