// Signed bind: the HMAC a backend computes, and the verdict on what a client brings.
#include "core/bind_signature.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

// printf '%s' 'alice:1767225600' | openssl dgst -sha256 -hmac 'k3y'
constexpr const char* kKnownSig = "60f06a6f55df0e935f58d7ee6a1e5664a2506accd190e3c4f15a74aa71a6bed9";
constexpr std::int64_t kExp = 1767225600;
constexpr std::int64_t kBeforeExpMs = (kExp - 60) * 1000;

BindClaim claim(std::optional<std::int64_t> exp, std::optional<std::string_view> sig, std::string_view uid = "alice") {
  return BindClaim{uid, exp, sig};
}

TEST(BindSignature, MatchesOpenSslsHmacOfUidColonExp) { EXPECT_EQ(bindSignatureHex("k3y", "alice", kExp), kKnownSig); }

TEST(BindSignature, AValidSignatureBeforeExpIsValid) {
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), true, {"k3y"}, kBeforeExpMs), BindSignature::kValid);
}

TEST(BindSignature, UppercaseHexIsAccepted) {
  std::string upper = kKnownSig;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(verifyBind(claim(kExp, upper), true, {"k3y"}, kBeforeExpMs), BindSignature::kValid);
}

TEST(BindSignature, AnyValidSecretWillDoSoRotationHasAGracePeriod) {
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), true, {"newer", "k3y"}, kBeforeExpMs), BindSignature::kValid);
}

TEST(BindSignature, NoSignatureIsRequiredOnlyWhenTheProjectAsks) {
  EXPECT_EQ(verifyBind(claim(std::nullopt, std::nullopt), true, {"k3y"}, kBeforeExpMs), BindSignature::kRequired);
  EXPECT_EQ(verifyBind(claim(std::nullopt, std::nullopt), false, {"k3y"}, kBeforeExpMs), BindSignature::kAbsent);
}

TEST(BindSignature, APresentSignatureIsCheckedEvenWhenNotRequired) {
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), false, {"other"}, kBeforeExpMs), BindSignature::kInvalid);
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), false, {"k3y"}, kBeforeExpMs), BindSignature::kValid);
}

TEST(BindSignature, ASignatureForAnotherUidOrExpIsInvalid) {
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig, "mallory"), true, {"k3y"}, kBeforeExpMs), BindSignature::kInvalid);
  EXPECT_EQ(verifyBind(claim(kExp + 1, kKnownSig), true, {"k3y"}, kBeforeExpMs), BindSignature::kInvalid);
}

TEST(BindSignature, MalformedOrHalfPresentIsInvalid) {
  EXPECT_EQ(verifyBind(claim(kExp, "abc"), true, {"k3y"}, kBeforeExpMs), BindSignature::kInvalid);
  EXPECT_EQ(verifyBind(claim(kExp, std::nullopt), true, {"k3y"}, kBeforeExpMs), BindSignature::kInvalid);
  EXPECT_EQ(verifyBind(claim(std::nullopt, kKnownSig), true, {"k3y"}, kBeforeExpMs), BindSignature::kInvalid);
}

TEST(BindSignature, WithNoValidSecretEverySignatureIsInvalid) {
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), true, {}, kBeforeExpMs), BindSignature::kInvalid);
}

TEST(BindSignature, ExpiresWhenExpIsNoLongerInTheFuture) {
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), true, {"k3y"}, kExp * 1000), BindSignature::kExpired);
  EXPECT_EQ(verifyBind(claim(kExp, kKnownSig), true, {"k3y"}, kExp * 1000 - 1), BindSignature::kValid);
}

TEST(BindSignature, EachRefusalHasItsErrorCode) {
  EXPECT_EQ(bindSignatureErrorCode(BindSignature::kRequired), "bind_signature_required");
  EXPECT_EQ(bindSignatureErrorCode(BindSignature::kInvalid), "bind_signature_invalid");
  EXPECT_EQ(bindSignatureErrorCode(BindSignature::kExpired), "bind_signature_expired");
  EXPECT_TRUE(bindSignatureErrorCode(BindSignature::kValid).empty());
  EXPECT_TRUE(bindSignatureErrorCode(BindSignature::kAbsent).empty());
}

}  // namespace
}  // namespace wsd
