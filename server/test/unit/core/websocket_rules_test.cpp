// RFC 6455 rules wsd checks itself: the opening handshake's version, key and subprotocol,
// the close codes a peer may send, and a message's announced size.
#include "core/websocket_rules.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace wsd::websocket {
namespace {

constexpr std::string_view kGoodKey = "dGhlIHNhbXBsZSBub25jZQ==";  // RFC 6455 §1.3's sample

TEST(WebSocketKey, IsTheBase64OfSixteenBytes) {
  EXPECT_TRUE(isValidKey(kGoodKey));
  EXPECT_TRUE(isValidKey("AAAAAAAAAAAAAAAAAAAA+/==")) << "+ and / are base64";
  EXPECT_FALSE(isValidKey("")) << "missing";
  EXPECT_FALSE(isValidKey("dGhlIHNhbXBsZSBub25jZQ")) << "unpadded";
  EXPECT_FALSE(isValidKey("dGhlIHNhbXBsZSBub25jZQo=")) << "17 bytes";
  EXPECT_FALSE(isValidKey("dGhlIHNhbXBsZSBub25j")) << "15 bytes";
  EXPECT_FALSE(isValidKey("dGhlIHNhbXBsZSBub25jZ!==")) << "not base64";
  EXPECT_FALSE(isValidKey("not a key at all, really")) << "24 characters, not base64";
}

TEST(WebSocketSubprotocol, IsFoundAmongCommaSeparatedOffers) {
  EXPECT_TRUE(offersSubprotocol("wsd", "wsd"));
  EXPECT_TRUE(offersSubprotocol("chat, wsd", "wsd"));
  EXPECT_TRUE(offersSubprotocol(" wsd ,chat", "wsd"));
  EXPECT_FALSE(offersSubprotocol("chat", "wsd"));
  EXPECT_FALSE(offersSubprotocol("wsd2, xwsd", "wsd"));
  EXPECT_FALSE(offersSubprotocol("", "wsd"));
}

TEST(WebSocketUpgrade, AcceptsVersion13WithAGoodKeyAndNoOrOurSubprotocol) {
  EXPECT_FALSE(checkUpgrade({"13", kGoodKey, ""}));
  EXPECT_FALSE(checkUpgrade({"13", kGoodKey, "chat, wsd"}));
}

TEST(WebSocketUpgrade, AnotherVersionIs426UpgradeRequired) {
  for (std::string_view version : {"8", "", "12", "14", "13, 8"}) {
    auto refusal = checkUpgrade({version, kGoodKey, ""});
    ASSERT_TRUE(refusal) << version;
    EXPECT_EQ(refusal->status, 426);
    EXPECT_EQ(refusal->code, "upgrade_required");
  }
}

TEST(WebSocketUpgrade, ABadKeyIs400) {
  auto refusal = checkUpgrade({"13", "short", ""});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 400);
  EXPECT_EQ(refusal->code, "bad_request");
  EXPECT_NE(refusal->message.find("Sec-WebSocket-Key"), std::string::npos);
}

TEST(WebSocketUpgrade, SubprotocolsWithoutWsdAre400) {
  auto refusal = checkUpgrade({"13", kGoodKey, "chat, mqtt"});
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->status, 400);
  EXPECT_EQ(refusal->code, "bad_request");
  EXPECT_NE(refusal->message.find("Sec-WebSocket-Protocol"), std::string::npos);
}

TEST(WebSocketCloseCodes, PeersMaySendOnlyAssignedNonReservedCodes) {
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999}) {
    EXPECT_TRUE(isReceivableCloseCode(code)) << code;
  }
  for (int code : {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
    EXPECT_FALSE(isReceivableCloseCode(code)) << code;
  }
}

TEST(WebSocketMessageLimit, CountsTheLengthStillAnnounced) {
  EXPECT_FALSE(exceedsMessageLimit(0, 1024, 1024));
  EXPECT_FALSE(exceedsMessageLimit(1000, 24, 1024));
  EXPECT_TRUE(exceedsMessageLimit(1000, 25, 1024));
  EXPECT_TRUE(exceedsMessageLimit(1025, 0, 1024));
  EXPECT_TRUE(exceedsMessageLimit(10, std::uint64_t{1} << 62, 1024)) << "a 2^62 length header";
  EXPECT_TRUE(exceedsMessageLimit(10, std::numeric_limits<std::uint64_t>::max(), 1024)) << "no overflow";
}

}  // namespace
}  // namespace wsd::websocket
