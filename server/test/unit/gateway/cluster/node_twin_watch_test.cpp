// A second gateway under this one's node id is noticed in the log: the later node.start
// wins, the earlier gateway stops, and history is never mistaken for a twin.
#include "gateway/cluster/node_twin_watch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wsd {
namespace {

Event nodeStart(const std::string& id, const std::string& node, const std::string& project = "") {
  Event event;
  event.type = EventType::kNodeStart;
  event.id = id;
  event.node = node;
  event.project = project;
  return event;
}

class NodeTwinWatchTest : public ::testing::Test {
 protected:
  std::vector<std::string> reports;
  NodeTwinWatch watch{"node-a", [this](const std::string& why) { reports.push_back(why); }};
};

TEST_F(NodeTwinWatchTest, AStartUnderThisIdAfterOurOwnIsATwinAndIsReportedOnce) {
  watch.started("e-ours");
  watch.observe(nodeStart("e-ours", "node-a"));
  EXPECT_TRUE(reports.empty());
  watch.observe(nodeStart("e-twin", "node-a"));
  ASSERT_EQ(reports.size(), 1U);
  EXPECT_NE(reports[0].find("another gateway started as node node-a"), std::string::npos) << reports[0];
  EXPECT_NE(reports[0].find("e-twin"), std::string::npos) << reports[0];
  watch.observe(nodeStart("e-twin-again", "node-a"));
  EXPECT_EQ(reports.size(), 1U);
}

TEST_F(NodeTwinWatchTest, StartsBeforeOurOwnArePredecessorsNotTwins) {
  watch.started("e-ours");
  watch.observe(nodeStart("e-previous-run", "node-a"));
  watch.observe(nodeStart("e-earlier-twin", "node-a"));  // our own start stops that one
  watch.observe(nodeStart("e-ours", "node-a"));
  EXPECT_TRUE(reports.empty());
}

TEST_F(NodeTwinWatchTest, OtherNodesAndPerProjectStartsAreNoConcern) {
  watch.started("e-ours");
  watch.observe(nodeStart("e-ours", "node-a"));
  watch.observe(nodeStart("e-b", "node-b"));
  // Our own start's per-project events name our node too; only the node table's counts.
  watch.observe(nodeStart("e-ours-in-shop", "node-a", "shop"));
  Event alive = nodeStart("e-alive", "node-a");
  alive.type = EventType::kNodeAlive;
  watch.observe(alive);
  EXPECT_TRUE(reports.empty());
}

TEST_F(NodeTwinWatchTest, NothingIsReportedBeforeThisProcessHasStarted) {
  watch.observe(nodeStart("e-1", "node-a"));
  watch.observe(nodeStart("e-2", "node-a"));
  EXPECT_TRUE(reports.empty());
}

}  // namespace
}  // namespace wsd
