// Dead-link detection (link_watch.h): one ping per silence, dead after deadAfter more.
#include "link_watch.h"

#include <gtest/gtest.h>

namespace wsclient::detail {
namespace {

using std::chrono::milliseconds;

TEST(LinkWatch, PingsOnceAfterSilenceThenDeclaresTheLinkDead) {
  LinkWatch watch(HeartbeatOptions{milliseconds(100), milliseconds(50)});
  const Clock::time_point t0 = Clock::now();
  watch.heard(t0);
  EXPECT_EQ(watch.check(t0 + milliseconds(99)), LinkWatch::Action::kNone);
  EXPECT_EQ(watch.nextDeadline(), t0 + milliseconds(100));
  EXPECT_EQ(watch.check(t0 + milliseconds(100)), LinkWatch::Action::kPing);
  EXPECT_EQ(watch.check(t0 + milliseconds(120)), LinkWatch::Action::kNone);
  EXPECT_EQ(watch.nextDeadline(), t0 + milliseconds(150));
  EXPECT_EQ(watch.check(t0 + milliseconds(150)), LinkWatch::Action::kDead);
}

TEST(LinkWatch, AnythingHeardStartsOver) {
  LinkWatch watch(HeartbeatOptions{milliseconds(100), milliseconds(50)});
  const Clock::time_point t0 = Clock::now();
  watch.heard(t0);
  EXPECT_EQ(watch.check(t0 + milliseconds(100)), LinkWatch::Action::kPing);
  watch.heard(t0 + milliseconds(140));
  EXPECT_EQ(watch.check(t0 + milliseconds(200)), LinkWatch::Action::kNone);
  EXPECT_EQ(watch.check(t0 + milliseconds(240)), LinkWatch::Action::kPing);
}

TEST(LinkWatch, ZeroPingAfterTurnsItOff) {
  LinkWatch watch(HeartbeatOptions{milliseconds(0), milliseconds(50)});
  watch.heard(Clock::now());
  EXPECT_EQ(watch.check(Clock::now() + std::chrono::hours(1)), LinkWatch::Action::kNone);
  EXPECT_FALSE(watch.nextDeadline());
}

}  // namespace
}  // namespace wsclient::detail
