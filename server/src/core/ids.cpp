#include "core/ids.h"

#include <unistd.h>

#include <algorithm>
#include <vector>

namespace wsd {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void incrementBigEndian(std::array<std::uint8_t, 10>& bytes) {
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
    if (++*it != 0) return;
  }
}

}  // namespace

IdGenerator::IdGenerator() : rng_(std::random_device{}()) {}

std::string IdGenerator::next(std::int64_t now_ms) {
  // Keeps ids monotonic even if the wall clock steps back: reuse the last millisecond.
  if (now_ms > last_ms_) {
    last_ms_ = now_ms;
    for (auto& b : last_random_) b = static_cast<std::uint8_t>(rng_());
    last_random_[0] &= 0x7f;  // headroom so increments within one ms cannot wrap
  } else {
    incrementBigEndian(last_random_);
  }
  // 128 bits = 48 time + 80 random, written as 26 base32 digits (130 bits, top 2 zero).
  std::array<std::uint8_t, 16> raw{};
  for (int i = 0; i < 6; ++i) raw[i] = static_cast<std::uint8_t>(last_ms_ >> (40 - 8 * i));
  std::copy(last_random_.begin(), last_random_.end(), raw.begin() + 6);
  std::string out(26, '0');
  unsigned __int128 v = 0;
  for (auto b : raw) v = (v << 8) | b;
  for (int i = 25; i >= 0; --i) {
    out[i] = kCrockford[static_cast<unsigned>(v & 31)];
    v >>= 5;
  }
  return out;
}

namespace {

// `size` bytes from the kernel's entropy pool. getentropy(3) needs no file descriptor and
// takes at most 256 bytes a call; every connection draws its id and secret here, and
// opening a std::random_device for each cost 4 % of the CPU of opening connections.
void fillRandom(unsigned char* out, std::size_t size) {
  constexpr std::size_t kMaxPerCall = 256;
  for (std::size_t done = 0; done < size;) {
    const std::size_t chunk = std::min(kMaxPerCall, size - done);
    if (getentropy(out + done, chunk) != 0) {
      std::random_device device;  // the kernel refused (it never does on Linux >= 3.17)
      for (std::size_t i = done; i < size; ++i) out[i] = static_cast<unsigned char>(device());
      return;
    }
    done += chunk;
  }
}

}  // namespace

std::string randomHex(std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::vector<unsigned char> raw(bytes);
  fillRandom(raw.data(), raw.size());
  std::string out;
  out.reserve(bytes * 2);
  for (auto b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace wsd
