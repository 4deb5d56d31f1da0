// Request framing: one decision on where a body ends (Content-Length, chunked, neither),
// the chunked decoder, and the Bearer scheme read case-insensitively.
#include "core/http_framing.h"

#include <gtest/gtest.h>

namespace wsd::http {
namespace {

using Kind = BodyFraming::Kind;

TEST(RequestFraming, NoHeadersMeanNoBody) {
  auto framing = requestFraming("", "");
  ASSERT_TRUE(framing.ok());
  EXPECT_EQ(framing->kind, Kind::kNone);
}

TEST(RequestFraming, ContentLengthGivesTheLength) {
  auto framing = requestFraming("42", "");
  ASSERT_TRUE(framing.ok());
  EXPECT_EQ(framing->kind, Kind::kLength);
  EXPECT_EQ(framing->length, 42U);
}

TEST(RequestFraming, RepeatsOfOneContentLengthAreAccepted) {
  auto framing = requestFraming("5,  5", "");  // how libwebsockets joins two headers
  ASSERT_TRUE(framing.ok());
  EXPECT_EQ(framing->length, 5U);
}

TEST(RequestFraming, ConflictingContentLengthsAreRefused) {
  auto framing = requestFraming("5,  10", "");
  ASSERT_FALSE(framing.ok());
  EXPECT_EQ(framing.error().code, "bad_request");
  EXPECT_NE(framing.error().message.find("conflicting Content-Length"), std::string::npos);
}

TEST(RequestFraming, AContentLengthThatIsNotADecimalNumberIsRefused) {
  for (std::string_view bad : {"-1", "+5", "0x10", "5 5", "abc", "99999999999999999999999", ","}) {
    EXPECT_FALSE(requestFraming(bad, "").ok()) << bad;
  }
}

TEST(RequestFraming, TransferEncodingWithContentLengthIsRefused) {
  auto framing = requestFraming("5", "chunked");
  ASSERT_FALSE(framing.ok());
  EXPECT_NE(framing.error().message.find("Transfer-Encoding and Content-Length"), std::string::npos);
}

TEST(RequestFraming, ChunkedInAnyCaseIsChunkedAndOtherCodingsAreRefused) {
  auto framing = requestFraming("", "Chunked");
  ASSERT_TRUE(framing.ok());
  EXPECT_EQ(framing->kind, Kind::kChunked);
  EXPECT_FALSE(requestFraming("", "gzip").ok());
  EXPECT_FALSE(requestFraming("", "gzip, chunked").ok());
}

ChunkedDecoder::Progress decodeAll(std::string_view wire, std::string& body) {
  ChunkedDecoder decoder;
  return decoder.feed(wire, body);
}

TEST(ChunkedDecoder, JoinsChunksUntilTheLastOne) {
  std::string body;
  EXPECT_EQ(decodeAll("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n", body), ChunkedDecoder::Progress::kComplete);
  EXPECT_EQ(body, "hello world");
}

TEST(ChunkedDecoder, ReadsHexSizesAndDropsTrailers) {
  std::string body;
  const std::string payload(26, 'x');
  EXPECT_EQ(decodeAll("1A\r\n" + payload + "\r\n0\r\nX-Trailer: 1\r\n\r\n", body), ChunkedDecoder::Progress::kComplete);
  EXPECT_EQ(body, payload);
}

TEST(ChunkedDecoder, TakesInputInAnyPieces) {
  const std::string wire = "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  ChunkedDecoder decoder;
  std::string body;
  for (std::size_t i = 0; i + 1 < wire.size(); ++i) {
    ASSERT_EQ(decoder.feed(wire.substr(i, 1), body), ChunkedDecoder::Progress::kNeedMore) << i;
  }
  EXPECT_EQ(decoder.feed(wire.substr(wire.size() - 1), body), ChunkedDecoder::Progress::kComplete);
  EXPECT_EQ(body, "abcde");
}

TEST(ChunkedDecoder, RefusesMalformedFraming) {
  for (std::string_view wire : {"z\r\n", "\r\n", "3\r\nabcX", "3\nabc", "3\r\nabc\r\n0\r\nX\rY"}) {
    std::string body;
    EXPECT_EQ(decodeAll(wire, body), ChunkedDecoder::Progress::kMalformed) << wire;
  }
}

TEST(ChunkedDecoder, RefusesAChunkSizeBeyondAnySaneBody) {
  std::string body;
  EXPECT_EQ(decodeAll("FFFFFFFFFFFFFFFFFFFF\r\n", body), ChunkedDecoder::Progress::kMalformed);
}

TEST(BearerCredentials, TheSchemeIsCaseInsensitive) {
  for (std::string_view header : {"Bearer abc", "bearer abc", "BEARER abc", "bEaReR   abc "}) {
    auto credentials = bearerCredentials(header);
    ASSERT_TRUE(credentials) << header;
    EXPECT_EQ(*credentials, "abc") << header;
  }
}

TEST(BearerCredentials, OtherSchemesAndEmptyCredentialsGiveNothing) {
  for (std::string_view header : {"", "Bearer", "Bearer ", "Basic abc", "Bearerabc", "Token abc"}) {
    EXPECT_FALSE(bearerCredentials(header)) << header;
  }
}

}  // namespace
}  // namespace wsd::http
