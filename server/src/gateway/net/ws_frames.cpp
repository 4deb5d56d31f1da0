#include "gateway/net/ws_frames.h"

#include <cstdint>

namespace wsd {

void appendTextFrame(std::vector<unsigned char>& out, std::string_view payload) {
  constexpr unsigned char kFinalText = 0x81;  // FIN, opcode 1 (text)
  const std::uint64_t size = payload.size();
  out.push_back(kFinalText);
  if (size < 126) {
    out.push_back(static_cast<unsigned char>(size));
  } else if (size <= 0xffff) {
    out.push_back(126);  // a 16-bit length follows, in network order
    out.push_back(static_cast<unsigned char>(size >> 8));
    out.push_back(static_cast<unsigned char>(size));
  } else {
    out.push_back(127);  // a 64-bit length follows, in network order
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<unsigned char>(size >> shift));
  }
  out.insert(out.end(), payload.begin(), payload.end());
}

}  // namespace wsd
