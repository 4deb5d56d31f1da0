// The project's connection cap, as the projector holds it by log order: what keeps it
// across gateways that each admitted a connection at the same time.
#include "projector_harness.h"

namespace wsd {
namespace {

class ProjectorConnectionCapTest : public test::ProjectorHarness {
 protected:
  void SetUp() override { createProject(); }
  void cap(std::int64_t max) {
    auto e = event(EventType::kProjectUpdate, "");
    rapidjson::Value settings(rapidjson::kObjectType);
    settings.AddMember("maxConnections", max, e->alloc());
    e->data.AddMember("settings", settings, e->alloc());
    apply(e);
  }
  static bool closedOverCap(const Effects& fx, const std::string& conn) {
    return fx.closes.size() == 1 && fx.closes[0].conn == conn && fx.closes[0].code == 1008 &&
           fx.closes[0].reason == "too_many_connections";
  }
};

TEST_F(ProjectorConnectionCapTest, AConnOpenPastTheCapIsClosedWith1008AndNeverCounted) {
  cap(2);
  EXPECT_TRUE(open("a", "gw1").closes.empty());
  EXPECT_TRUE(open("b", "gw2").closes.empty());
  auto fx = open("c", "gw1");
  EXPECT_TRUE(closedOverCap(fx, "c"));
  EXPECT_TRUE(fx.deliveries.empty());  // no `connected` for it
  EXPECT_FALSE(state.session("c"));
  EXPECT_EQ(state.connsOfProject("p").size(), 2u);
}

TEST_F(ProjectorConnectionCapTest, ClosingAConnectionMakesRoomAgain) {
  cap(1);
  open("a");
  EXPECT_TRUE(closedOverCap(open("b"), "b"));
  projector.apply(*event(EventType::kConnClose, "b"));  // the refused one's close changes nothing
  EXPECT_EQ(state.connsOfProject("p").size(), 1u);
  projector.apply(*event(EventType::kConnClose, "a"));
  EXPECT_TRUE(open("c").closes.empty());
}

TEST_F(ProjectorConnectionCapTest, NoCapMeansNoLimit) {
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(open("c" + std::to_string(i)).closes.empty());
}

TEST_F(ProjectorConnectionCapTest, TheConnectionsRefusedAreThoseLaterInTheLog) {
  cap(1);
  std::vector<std::string> refusedFirst;
  for (const char* conn : {"a", "b", "c"}) {
    if (!open(conn).closes.empty()) refusedFirst.push_back(conn);
  }
  EXPECT_EQ(refusedFirst, (std::vector<std::string>{"b", "c"}));
}

}  // namespace
}  // namespace wsd
