// Event filters in the projector: conn.filter keeps the filter with the session and
// answers from it; filterable deliveries carry their kind for the gateway to test.
#include <gtest/gtest.h>

#include "projector_harness.h"

namespace wsd {
namespace {

class ProjectorFilters : public test::ProjectorHarness {
 protected:
  Effects filter(const std::string& conn, const std::string& op, const std::vector<std::string>& events = {}) {
    auto e = event(EventType::kConnFilter, conn);
    put(*e, "op", op);
    if (op != "list") putList(*e, "events", events);
    return apply(e);
  }
  // The kind of the only project-wide delivery in `fx`.
  static FilterMask projectDeliveryKind(const Effects& fx) {
    for (const auto& d : fx.deliveries) {
      if (d.to == Delivery::To::kProject) return d.kind;
    }
    ADD_FAILURE() << "no project delivery";
    return filter_kind::kNone;
  }
};

TEST_F(ProjectorFilters, UnsubAnswersEveryKindNowUnsubscribedSortedAndKeepsIt) {
  createProject();
  open("c1");
  auto fx = filter("c1", "unsub", {"online", "offline"});
  auto replies = messagesTo(fx, "c1");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(typeOf(replies[0]), "unsub_success");
  EXPECT_EQ(listOf(replies[0], "events"), (std::vector<std::string>{"offline", "online"}));
  EXPECT_EQ(state.session("c1")->unsubscribed, (std::vector<std::string>{"offline", "online"}));
  ASSERT_TRUE(fx.filter.has_value());
  EXPECT_EQ(*fx.filter, filter_kind::kOnline | filter_kind::kOffline);

  fx = filter("c1", "unsub", {"broadcast", "online"});
  EXPECT_EQ(listOf(messagesTo(fx, "c1")[0], "events"), (std::vector<std::string>{"broadcast", "offline", "online"}));
}

TEST_F(ProjectorFilters, SubRestoresOnlyTheNamedKinds) {
  createProject();
  open("c1");
  filter("c1", "unsub", {"online", "offline", "broadcast"});
  auto fx = filter("c1", "sub", {"online", "room_member_left"});
  auto replies = messagesTo(fx, "c1");
  EXPECT_EQ(typeOf(replies[0]), "sub_success");
  EXPECT_EQ(listOf(replies[0], "events"), (std::vector<std::string>{"broadcast", "offline"}));
  EXPECT_EQ(*fx.filter, filter_kind::kOffline | filter_kind::kBroadcast);
}

TEST_F(ProjectorFilters, LsunsubIsAnsweredFromTheProjectionAndChangesNothing) {
  createProject();
  open("c1");
  auto fx = filter("c1", "list");
  EXPECT_EQ(typeOf(messagesTo(fx, "c1")[0]), "lsunsub");
  EXPECT_TRUE(listOf(messagesTo(fx, "c1")[0], "events").empty());
  EXPECT_FALSE(fx.filter.has_value());
  filter("c1", "unsub", {"room_member_joined"});
  fx = filter("c1", "list");
  EXPECT_EQ(listOf(messagesTo(fx, "c1")[0], "events"), std::vector<std::string>{"room_member_joined"});
}

TEST_F(ProjectorFilters, AFilterOutlivesBindButNotTheSession) {
  createProject();
  open("c1");
  filter("c1", "unsub", {"online"});
  bind("c1", "alice");
  EXPECT_EQ(state.session("c1")->unsubscribed, std::vector<std::string>{"online"});
  close("c1");
  EXPECT_FALSE(state.session("c1").has_value());
  EXPECT_TRUE(filter("c1", "list").deliveries.empty());  // a late event of a closed session
}

TEST_F(ProjectorFilters, PresenceAndBroadcastCarryTheirKind) {
  createProject();
  open("a");
  open("b");
  EXPECT_EQ(projectDeliveryKind(bind("a", "alice")), filter_kind::kOnline);
  bind("b", "bob");
  auto b = event(EventType::kMessageBroadcast, "b");
  put(*b, "from", "bob");
  put(*b, "msg", "hi");
  EXPECT_EQ(projectDeliveryKind(apply(b)), filter_kind::kBroadcast);
  EXPECT_EQ(projectDeliveryKind(close("a")), filter_kind::kOffline);
}

TEST_F(ProjectorFilters, RoomMemberNoticesCarryTheirKindRepliesDoNot) {
  createProject();
  open("a");
  open("b");
  bind("a", "alice");
  bind("b", "bob");
  auto join = [&](const std::string& conn) {
    auto e = event(EventType::kRoomJoin, conn);
    put(*e, "roomId", "r");
    return apply(e);
  };
  join("a");
  auto fx = join("b");
  for (const auto& d : fx.deliveries) {
    EXPECT_EQ(d.kind, d.target == "a" ? filter_kind::kRoomMemberJoined : filter_kind::kNone) << *d.message;
  }
  fx = close("b");
  ASSERT_FALSE(messagesTo(fx, "a").empty());
  for (const auto& d : fx.deliveries) {
    if (d.target == "a") {
      EXPECT_EQ(d.kind, filter_kind::kRoomMemberLeft);
    }
  }
}

TEST_F(ProjectorFilters, DirectMessagesAreNeverFilterable) {
  createProject();
  open("a");
  open("b");
  bind("a", "alice");
  bind("b", "bob");
  filter("b", "unsub", {"online", "offline", "broadcast", "room_member_joined", "room_member_left"});
  auto fx = send("a", "alice", "bob", "hi");
  for (const auto& d : fx.deliveries) EXPECT_EQ(d.kind, filter_kind::kNone);
}

TEST(EventFilterNames, RoundTripSortedAndUnknownNamesIgnored) {
  EXPECT_EQ(filterNames(filterMask({"room_member_left", "online", "nonsense"})),
            (std::vector<std::string>{"online", "room_member_left"}));
  EXPECT_FALSE(filterKindFromName("direct").has_value());
  EXPECT_EQ(filterNames(filter_kind::kNone), std::vector<std::string>{});
}

}  // namespace
}  // namespace wsd
