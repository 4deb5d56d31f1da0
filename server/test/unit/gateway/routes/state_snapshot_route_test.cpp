// GET /admin/state-snapshot through the server's route table: the projections as they
// stand and the log position they reflect, which `wslog verify --admin-url` replays to.
#include "gateway/routes/state_snapshot_route.h"

#include <gtest/gtest.h>

#include "gateway_harness.h"

namespace wsd {
namespace {

using testing::GatewayHarness;
using testing::stringField;

TEST(StateSnapshotRoute, TheSnapshotNamesThePositionItReflectsAndChangesWithTheLog) {
  GatewayHarness gateway;
  const std::string token = gateway.projectWithToken("shop");  // two events: offsets 0 and 1
  auto first = gateway.answerTo(GatewayHarness::request("GET", "/admin/state-snapshot"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(stringField(first, "node"), "node-under-test");
  EXPECT_NE(first.body.find(R"("offsets":{"0":2})"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find(R"("applied":2)"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("shop"), std::string::npos) << first.body;
  const std::string digest = stringField(first, "digest").value_or("");
  EXPECT_FALSE(digest.empty());

  auto again = gateway.answerTo(GatewayHarness::request("GET", "/admin/state-snapshot"));
  EXPECT_EQ(stringField(again, "digest"), digest);  // nothing changed: the same state

  gateway.answerTo(GatewayHarness::request("DELETE", "/token", {{"projectKey", "shop"}, {"token", token}}));
  auto after = gateway.answerTo(GatewayHarness::request("GET", "/admin/state-snapshot"));
  EXPECT_NE(after.body.find(R"("offsets":{"0":3})"), std::string::npos) << after.body;
  EXPECT_NE(stringField(after, "digest"), digest);
}

}  // namespace
}  // namespace wsd
