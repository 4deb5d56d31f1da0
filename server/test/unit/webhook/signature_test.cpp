// The delivery signature: HMAC-SHA256 (core/hmac.h) over "timestamp.body".
#include "webhook/signature.h"

#include <gtest/gtest.h>

#include "core/hmac.h"

namespace wsd::webhook {
namespace {

TEST(WebhookSignature, SignsTheTimestampADotAndTheBody) {
  const std::string body = R"({"id":"x","type":"connect"})";
  EXPECT_EQ(signatureHeader("s3cret", 1767225600, body), "sha256=" + hmacSha256Hex("s3cret", "1767225600." + body));
  EXPECT_NE(signatureHeader("s3cret", 1767225601, body), signatureHeader("s3cret", 1767225600, body));
  EXPECT_NE(signatureHeader("other", 1767225600, body), signatureHeader("s3cret", 1767225600, body));
}

}  // namespace
}  // namespace wsd::webhook
