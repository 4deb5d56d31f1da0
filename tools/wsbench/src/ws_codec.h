// The bytes of the WebSocket protocol (RFC 6455) that a load generator needs: the
// client's upgrade request, its masked text frames, and a parser for the server's
// unmasked frames. Pure; unit-tested in test/ws_codec_test.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wsbench {

std::string upgradeRequest(std::string_view host, std::string_view pathAndQuery);

// A client frame must be masked (RFC 6455 §5.3); any key will do for a benchmark.
std::string encodeText(std::string_view payload, std::uint32_t mask);
std::string encodePong(std::string_view payload, std::uint32_t mask);

struct Frame {
  int opcode = 0;  // 1 text, 8 close, 9 ping, 10 pong (continuations are joined)
  std::string payload;
};

// Feed it what the socket gave; take whole frames out. A protocol violation (a masked
// server frame, a reserved opcode) makes failed() true and stops parsing.
class FrameParser {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  std::optional<Frame> next();
  bool failed() const { return failed_; }

 private:
  std::string buffer_;
  std::size_t offset_ = 0;
  std::string partial_;  // a fragmented message so far
  int partialOpcode_ = 0;
  bool failed_ = false;
};

}  // namespace wsbench
