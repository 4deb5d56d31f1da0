// The order of a connection round (transport_order.h).
#include "transport_order.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

constexpr auto ws = TransportKind::kWebSocket;
constexpr auto sse = TransportKind::kSse;
constexpr auto poll = TransportKind::kPoll;

TEST(TransportRound, FollowsTheConfiguredOrderAtFirst) {
  EXPECT_EQ(transportRound({ws, sse, poll}, std::nullopt), (std::vector<TransportKind>{ws, sse, poll}));
}

TEST(TransportRound, StartsWithTheOneThatLastWorkedThenGoesAround) {
  EXPECT_EQ(transportRound({ws, sse, poll}, sse), (std::vector<TransportKind>{sse, poll, ws}));
  EXPECT_EQ(transportRound({ws, sse, poll}, poll), (std::vector<TransportKind>{poll, ws, sse}));
}

TEST(TransportRound, IgnoresATransportNoLongerConfigured) {
  EXPECT_EQ(transportRound({sse, poll}, ws), (std::vector<TransportKind>{sse, poll}));
}

}  // namespace
}  // namespace wsclient::detail
