// decide() on a bind, given the gateway's verdict on its signature.
#include <gtest/gtest.h>

#include "core/decide.h"
#include "core/json.h"

namespace wsd {
namespace {

class DecideSignedBindTest : public ::testing::Test {
 protected:
  IdGenerator ids;
  ClientMessage bind(const char* json) {
    ClientMessage m;
    m.type = ClientType::kBind;
    json::parse(m.body, json);
    return m;
  }
  DecideContext ctx(BindSignature verdict) {
    DecideContext c;
    c.node = "n1";
    c.nowMs = 1000;
    c.ids = &ids;
    c.bindSignature = verdict;
    return c;
  }
};

TEST_F(DecideSignedBindTest, AValidSignatureIsRecordedInTheEventWithItsExpiry) {
  auto d = decide(bind(R"({"type":"bind","uid":"alice","exp":1767225600,"sig":"ab"})"), {"c1", "p", ""},
                  ctx(BindSignature::kValid));
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(d.boundUid, "alice");
  EXPECT_TRUE(d.event->data["signed"].GetBool());
  EXPECT_EQ(json::int64(d.event->data, "exp"), 1767225600);
  EXPECT_EQ(json::member(d.event->data, "sig"), nullptr);  // the proof stays out of the log
}

TEST_F(DecideSignedBindTest, AnUnsignedBindWhereNoneIsNeededRecordsNoSignature) {
  auto d = decide(bind(R"({"type":"bind","uid":"alice"})"), {"c1", "p", ""}, ctx(BindSignature::kAbsent));
  ASSERT_EQ(d.kind, Decision::Kind::kAppend);
  EXPECT_EQ(json::member(d.event->data, "signed"), nullptr);
}

TEST_F(DecideSignedBindTest, EachRefusingVerdictAnswersItsErrorAndLogsNothing) {
  const std::pair<BindSignature, const char*> cases[] = {
      {BindSignature::kRequired, "bind_signature_required"},
      {BindSignature::kInvalid, "bind_signature_invalid"},
      {BindSignature::kExpired, "bind_signature_expired"},
  };
  for (const auto& [verdict, code] : cases) {
    auto d = decide(bind(R"({"type":"bind","uid":"alice"})"), {"c1", "p", ""}, ctx(verdict));
    ASSERT_EQ(d.kind, Decision::Kind::kReply) << code;
    EXPECT_NE(d.reply->find(code), std::string::npos) << *d.reply;
    EXPECT_TRUE(d.boundUid.empty());
  }
}

}  // namespace
}  // namespace wsd
