#include "ws_codec.h"

namespace wsbench {
namespace {

std::string encode(int opcode, std::string_view payload, std::uint32_t mask) {
  std::string out;
  out.reserve(payload.size() + 14);
  out += static_cast<char>(0x80 | opcode);
  const std::size_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(0x80 | n);
  } else if (n <= 0xFFFF) {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  }
  const char key[4] = {static_cast<char>(mask >> 24), static_cast<char>(mask >> 16), static_cast<char>(mask >> 8),
                       static_cast<char>(mask)};
  out.append(key, 4);
  for (std::size_t i = 0; i < n; ++i) out += static_cast<char>(payload[i] ^ key[i & 3]);
  return out;
}

}  // namespace

std::string upgradeRequest(std::string_view host, std::string_view pathAndQuery) {
  std::string r = "GET ";
  r.append(pathAndQuery).append(" HTTP/1.1\r\nHost: ").append(host);
  // The key only has to be 16 base64-encoded bytes; the server's accept is not checked.
  r.append(
      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: d3NiZW5jaC1rZXktMDAwMQ==\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\n");
  return r;
}

std::string encodeText(std::string_view payload, std::uint32_t mask) { return encode(1, payload, mask); }
std::string encodePong(std::string_view payload, std::uint32_t mask) { return encode(10, payload, mask); }

std::optional<Frame> FrameParser::next() {
  for (;;) {
    if (failed_) return std::nullopt;
    const std::string_view data = std::string_view(buffer_).substr(offset_);
    if (data.size() < 2) break;
    const auto b0 = static_cast<unsigned char>(data[0]);
    const auto b1 = static_cast<unsigned char>(data[1]);
    const bool fin = (b0 & 0x80) != 0;
    const int opcode = b0 & 0x0F;
    if ((b1 & 0x80) != 0 || (opcode > 2 && opcode < 8) || opcode > 10) {
      failed_ = true;
      return std::nullopt;
    }
    std::uint64_t length = b1 & 0x7F;
    std::size_t header = 2;
    if (length == 126 || length == 127) {
      const std::size_t bytes = length == 126 ? 2 : 8;
      if (data.size() < 2 + bytes) break;
      length = 0;
      for (std::size_t i = 0; i < bytes; ++i) length = (length << 8) | static_cast<unsigned char>(data[2 + i]);
      header += bytes;
    }
    if (data.size() - header < length) break;
    std::string payload(data.substr(header, length));
    offset_ += header + length;
    if (offset_ > 65536 && offset_ * 2 > buffer_.size()) {  // keep the buffer from growing for ever
      buffer_.erase(0, offset_);
      offset_ = 0;
    }
    if (opcode >= 8) return Frame{opcode, std::move(payload)};  // control frames are never fragmented
    if (opcode != 0) partialOpcode_ = opcode;
    partial_.append(payload);
    if (!fin) continue;
    Frame frame{partialOpcode_, std::move(partial_)};
    partial_.clear();
    return frame;
  }
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  return std::nullopt;
}

}  // namespace wsbench
