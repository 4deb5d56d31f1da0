// The WebSocket bytes wsbench writes and reads (RFC 6455 §5).
#include "ws_codec.h"

#include <gtest/gtest.h>

namespace wsbench {
namespace {

std::string serverFrame(int opcode, const std::string& payload, bool fin = true) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | opcode);
  if (payload.size() < 126) {
    out += static_cast<char>(payload.size());
  } else {
    out += static_cast<char>(126);
    out += static_cast<char>(payload.size() >> 8);
    out += static_cast<char>(payload.size() & 0xFF);
  }
  return out + payload;
}

TEST(WsCodec, ClientTextFramesAreMaskedAndUnmaskToThePayload) {
  const std::string frame = encodeText("hello", 0x01020304);
  ASSERT_EQ(frame.size(), 2u + 4u + 5u);
  EXPECT_EQ(static_cast<unsigned char>(frame[0]), 0x81);  // FIN, text
  EXPECT_EQ(static_cast<unsigned char>(frame[1]), 0x80 | 5);
  std::string unmasked;
  for (std::size_t i = 0; i < 5; ++i) unmasked += static_cast<char>(frame[6 + i] ^ frame[2 + (i & 3)]);
  EXPECT_EQ(unmasked, "hello");
}

TEST(WsCodec, LongPayloadsUseTheExtendedLength) {
  EXPECT_EQ(static_cast<unsigned char>(encodeText(std::string(200, 'a'), 1)[1]), 0x80 | 126);
  EXPECT_EQ(static_cast<unsigned char>(encodeText(std::string(70000, 'a'), 1)[1]), 0x80 | 127);
}

TEST(WsCodec, ParserReturnsWholeFramesFedInPieces) {
  FrameParser parser;
  const std::string bytes = serverFrame(1, R"({"type":"ping"})") + serverFrame(1, std::string(300, 'z'));
  for (char c : bytes) parser.feed(std::string(1, c));
  auto first = parser.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->payload, R"({"type":"ping"})");
  auto second = parser.next();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->payload.size(), 300u);
  EXPECT_FALSE(parser.next().has_value());
}

TEST(WsCodec, FragmentsAreJoinedAndControlFramesPassBetweenThem) {
  FrameParser parser;
  parser.feed(serverFrame(1, "hel", false) + serverFrame(9, "p") + serverFrame(0, "lo"));
  auto ping = parser.next();
  ASSERT_TRUE(ping.has_value());
  EXPECT_EQ(ping->opcode, 9);
  auto text = parser.next();
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->opcode, 1);
  EXPECT_EQ(text->payload, "hello");
}

TEST(WsCodec, AMaskedServerFrameIsAProtocolError) {
  FrameParser parser;
  parser.feed(std::string("\x81\x85", 2) + "abcdvwxyz");
  EXPECT_FALSE(parser.next().has_value());
  EXPECT_TRUE(parser.failed());
}

TEST(WsCodec, UpgradeRequestNamesThePathAndVersion) {
  const std::string r = upgradeRequest("127.0.0.1:8080", "/ws?project=p&token=t");
  EXPECT_EQ(r.rfind("GET /ws?project=p&token=t HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(r.find("Sec-WebSocket-Version: 13\r\n"), std::string::npos);
  EXPECT_TRUE(r.ends_with("\r\n\r\n"));
}

}  // namespace
}  // namespace wsbench
