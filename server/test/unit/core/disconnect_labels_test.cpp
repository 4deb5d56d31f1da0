// The labels of wsd_disconnects_total: every end lands on one of a fixed set of reasons
// and codes, whatever a client or an app's backend chose to say.
#include "core/disconnect_labels.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace wsd::disconnect {
namespace {

std::pair<std::string_view, std::string_view> names(int code, std::string_view reason) {
  const auto labels = labelsFor(code, reason);
  return {kReasons.at(labels.reason), kCodes.at(labels.code)};
}

TEST(DisconnectLabels, DocumentedReasonsKeepTheirNameAndCode) {
  for (const auto& [code, reason] :
       std::initializer_list<std::pair<int, std::string_view>>{{1008, "token_revoked"},
                                                               {1008, "rate_limited"},
                                                               {4000, "heartbeat_timeout"},
                                                               {1013, "server_output_full"},
                                                               {1001, "poll_timeout"},
                                                               {1001, "stream_closed"},
                                                               {1001, "node_declared_down"},
                                                               {1009, "message_too_big"}}) {
    EXPECT_EQ(names(code, reason), std::make_pair(reason, std::string_view(std::to_string(code))));
  }
}

TEST(DisconnectLabels, TheTransportsWordsForAClientsEndBecomeLabels) {
  EXPECT_EQ(names(1000, "closed by client"),
            std::make_pair(std::string_view("client_closed"), std::string_view("1000")));
  EXPECT_EQ(names(1006, "connection lost"),
            std::make_pair(std::string_view("connection_lost"), std::string_view("1006")));
}

TEST(DisconnectLabels, AKickIsCountedAsKickedWhateverReasonTheBackendGave) {
  EXPECT_EQ(names(4001, "user 42 was rude"), std::make_pair(std::string_view("kicked"), std::string_view("4001")));
}

TEST(DisconnectLabels, UnknownReasonsFallBackToTheirCodeOrOther) {
  EXPECT_EQ(names(1003, "binary frames are not supported").first, "binary_frame");
  EXPECT_EQ(names(1011, "something new").first, "other");
  EXPECT_EQ(names(1011, "something new").second, "1011");
}

TEST(DisconnectLabels, CodesOfTheClientsChoosingAreOther) {
  EXPECT_EQ(names(3000, "closed by client").second, "other");
  EXPECT_EQ(names(4999, "closed by client").second, "other");
  EXPECT_EQ(names(-1, "connection lost").second, "other");
}

}  // namespace
}  // namespace wsd::disconnect
