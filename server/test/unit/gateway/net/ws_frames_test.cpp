// The gateway's own WebSocket framing, byte for byte against RFC 6455 §5.2: every
// payload-length form, and several frames back to back in one buffer.
#include "gateway/net/ws_frames.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsd {
namespace {

std::vector<unsigned char> framed(std::string_view payload) {
  std::vector<unsigned char> out;
  appendTextFrame(out, payload);
  return out;
}

TEST(WsFrames, AShortPayloadHasItsLengthInTheSecondByte) {
  auto frame = framed("hi");
  EXPECT_EQ(frame, (std::vector<unsigned char>{0x81, 2, 'h', 'i'}));
}

TEST(WsFrames, AnEmptyPayloadIsATwoByteFrame) { EXPECT_EQ(framed(""), (std::vector<unsigned char>{0x81, 0})); }

TEST(WsFrames, A125BytePayloadStillFitsTheShortForm) {
  auto frame = framed(std::string(125, 'x'));
  ASSERT_EQ(frame.size(), 127U);
  EXPECT_EQ(frame[1], 125);
}

TEST(WsFrames, From126BytesTheLengthIsSixteenBitsInNetworkOrder) {
  auto frame = framed(std::string(126, 'x'));
  ASSERT_EQ(frame.size(), 4U + 126U);
  EXPECT_EQ(frame[1], 126);
  EXPECT_EQ(frame[2], 0);
  EXPECT_EQ(frame[3], 126);

  auto largest = framed(std::string(65535, 'x'));
  EXPECT_EQ(largest[1], 126);
  EXPECT_EQ(largest[2], 0xff);
  EXPECT_EQ(largest[3], 0xff);
  EXPECT_EQ(largest.size(), 4U + 65535U);
}

TEST(WsFrames, From65536BytesTheLengthIsSixtyFourBitsInNetworkOrder) {
  auto frame = framed(std::string(65536, 'x'));
  ASSERT_EQ(frame.size(), kMaxFrameHeaderBytes + 65536U);
  EXPECT_EQ(frame[1], 127);
  EXPECT_EQ(std::vector<unsigned char>(frame.begin() + 2, frame.begin() + 10),
            (std::vector<unsigned char>{0, 0, 0, 0, 0, 1, 0, 0}));
}

TEST(WsFrames, FramesAppendBackToBackAndTheServerNeverMasks) {
  std::vector<unsigned char> out;
  appendTextFrame(out, "a");
  appendTextFrame(out, "bc");
  EXPECT_EQ(out, (std::vector<unsigned char>{0x81, 1, 'a', 0x81, 2, 'b', 'c'}));
  EXPECT_EQ(out[1] & 0x80, 0);  // the mask bit
}

}  // namespace
}  // namespace wsd
