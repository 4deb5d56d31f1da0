// Gateway liveness on a real log and projector: a gateway is declared down when this one
// has not heard from it for the node timeout, by this gateway's clock, whatever clock the
// other one's events were stamped with.
#include "gateway/cluster/node_liveness.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include "../routes/gateway_harness.h"
#include "core/ids.h"

namespace wsd {
namespace {

using testing::GatewayHarness;

GatewayOptions livenessOptions() {
  GatewayOptions options = testing::routeTestOptions();
  options.nodeHeartbeatMs = 500;
  options.nodeTimeoutMs = 4000;
  return options;
}

class NodeLivenessTest : public ::testing::Test {
 protected:
  // `node`'s node.alive, stamped `sentAtMs` by its own clock, applied here at `nowMs`.
  void hearAlive(const std::string& node, std::int64_t sentAtMs, std::int64_t nowMs) {
    auto event = newEvent(EventType::kNodeAlive, "", "", DecideContext{node, sentAtMs, 0, 0, &ids});
    gateway.append(event);
    gateway.applyCommitted();
    sightings.observe(*event, nowMs);  // as the server's pipeline observer does
  }
  void tick(std::int64_t nowMs) {
    liveness.tick(nowMs);
    gateway.applyCommitted();
  }
  bool known(const std::string& node) const {
    for (const auto& entry : gateway.state().nodes()) {
      if (entry.first == node) return true;
    }
    return false;
  }

  IdGenerator ids;
  GatewayHarness gateway{livenessOptions()};
  NodeSightings sightings;
  NodeLiveness liveness{gateway.ctx(), sightings};
};

TEST_F(NodeLivenessTest, AGatewayWhoseClockRunsBehindIsNotDeclaredDownWhileItsHeartbeatsArrive) {
  std::int64_t now = 1'000'000;
  for (int beat = 0; beat < 20; ++beat, now += 500) {
    hearAlive("node-b", now - 30'000, now);  // node-b's clock: 30 s behind this one's
    tick(now);
  }
  EXPECT_EQ(gateway.lastApplied(EventType::kNodeDown), "");
  EXPECT_TRUE(known("node-b"));
}

TEST_F(NodeLivenessTest, ASilentGatewayIsDeclaredDownOnceTheTimeoutPassesByThisGatewaysClock) {
  const std::int64_t heardAt = 1'000'000;
  hearAlive("node-b", heardAt + 60'000, heardAt);  // node-b's clock: a minute ahead
  tick(heardAt + 3'999);
  EXPECT_EQ(gateway.lastApplied(EventType::kNodeDown), "");
  tick(heardAt + 4'000);
  EXPECT_NE(gateway.lastApplied(EventType::kNodeDown), "");
  EXPECT_FALSE(known("node-b")) << "node.down forgets the gateway in the node table";
}

TEST_F(NodeLivenessTest, ThisGatewayNeverDeclaresItselfDown) {
  hearAlive("node-under-test", 1'000'000, 1'000'000);
  tick(1'000'000 + 60'000);
  EXPECT_EQ(gateway.lastApplied(EventType::kNodeDown), "");
}

}  // namespace
}  // namespace wsd
