// The session directory without Redis: every answer is "this gateway only", so a request
// naming a session held elsewhere is refused at once and poll sessions keep their queues.
#include "gateway/sessions/local_session_directory.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

HttpRequest requestNaming(const std::string& conn) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/poll";
  request.query = {{"project", "p"}, {"token", "t"}, {"connId", conn}};
  return request;
}

TEST(LocalSessionDirectory, KnowsNoSessionHeldByAnotherGateway) {
  LocalSessionDirectory directory;
  for (auto transport : {Transport::kSse, Transport::kPoll}) {
    EXPECT_EQ(directory.heldElsewhere("c1", transport, requestNaming("c1"), 1000), nullptr);
  }
}

TEST(LocalSessionDirectory, NeverHasARequestWaitForASessionOrABindItHasNotSeen) {
  const LocalSessionDirectory directory;
  EXPECT_FALSE(directory.shouldAwait("c1", SessionDirectory::Need::kSession));
  EXPECT_FALSE(directory.shouldAwait("c1", SessionDirectory::Need::kBoundUid));
  EXPECT_FALSE(directory.sessionsMayTrail());
}

TEST(LocalSessionDirectory, GivesPollSessionsNoSharedQueue) {
  LocalSessionDirectory directory;
  EXPECT_EQ(directory.sharedPollQueue(), nullptr);
}

TEST(LocalSessionDirectory, LeavesAGoneGetToTheSessionHoldingIt) {
  LocalSessionDirectory directory;
  EXPECT_FALSE(directory.releaseSharedPoll(nullptr));
}

}  // namespace
}  // namespace wsd
