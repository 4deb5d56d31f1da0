// The Origin allowlist checked at every handshake.
#include "gateway/sessions/origin_policy.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

const std::vector<std::string> kAllowed = {"https://app.example.com", "http://localhost:3000"};

TEST(OriginPolicy, AnEmptyListAllowsEveryOrigin) { EXPECT_TRUE(originAllowed("https://evil.example", {})); }

TEST(OriginPolicy, NoOriginHeaderIsAllowedSinceOnlyBrowsersSendOne) { EXPECT_TRUE(originAllowed("", kAllowed)); }

TEST(OriginPolicy, AListedOriginIsAllowedAndAnyOtherIsNot) {
  EXPECT_TRUE(originAllowed("https://app.example.com", kAllowed));
  EXPECT_TRUE(originAllowed("http://localhost:3000", kAllowed));
  EXPECT_FALSE(originAllowed("https://evil.example", kAllowed));
  EXPECT_FALSE(originAllowed("https://app.example.com.evil.example", kAllowed));
}

TEST(OriginPolicy, SchemeAndHostCompareCaseInsensitively) {
  EXPECT_TRUE(originAllowed("HTTPS://App.Example.COM", kAllowed));
}

TEST(OriginPolicy, SchemeMustMatch) { EXPECT_FALSE(originAllowed("http://app.example.com", kAllowed)); }

TEST(OriginPolicy, PortMustMatchExactlyWithTheSchemesDefaultWhenMissing) {
  EXPECT_FALSE(originAllowed("http://localhost:3001", kAllowed));
  EXPECT_FALSE(originAllowed("http://localhost", kAllowed));
  EXPECT_FALSE(originAllowed("https://app.example.com:8443", kAllowed));
  EXPECT_TRUE(originAllowed("https://app.example.com:443", kAllowed));
  EXPECT_TRUE(originAllowed("https://app.example.com", {"https://app.example.com:443/"}));
}

TEST(OriginPolicy, IPv6LiteralsKeepTheirPort) {
  EXPECT_TRUE(originAllowed("http://[::1]:8080", {"http://[::1]:8080"}));
  EXPECT_FALSE(originAllowed("http://[::1]:8081", {"http://[::1]:8080"}));
}

TEST(OriginPolicy, AnOpaqueNullOriginMatchesOnlyAnEntryNull) {
  EXPECT_FALSE(originAllowed("null", kAllowed));
  EXPECT_TRUE(originAllowed("null", {"null"}));
}

TEST(OriginPolicy, AnOriginWithAPathIsNotAnOriginAndMatchesNothingParsed) {
  EXPECT_FALSE(originAllowed("https://app.example.com/x", kAllowed));
}

}  // namespace
}  // namespace wsd
