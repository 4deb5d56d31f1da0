// Following a projection's position in the log, and the projects its events named.
#include "core/projection_cursor.h"

#include <gtest/gtest.h>

#include "core/json.h"

namespace wsd {
namespace {

Event eventOf(EventType type, const std::string& project, std::int64_t ts, const std::string& key = "") {
  Event e;
  e.type = type;
  e.project = project;
  e.ts = ts;
  if (!key.empty()) e.data.AddMember("key", rapidjson::Value(key.c_str(), e.alloc()), e.alloc());
  return e;
}

TEST(ProjectionCursor, StartsBeforeEveryRecord) {
  ProjectionCursor cursor;
  EXPECT_TRUE(cursor.next().empty());
  EXPECT_EQ(cursor.applied(), 0u);
  EXPECT_EQ(cursor.lastTs(), 0);
}

TEST(ProjectionCursor, NextOffsetFollowsEachPartitionOnItsOwn) {
  ProjectionCursor cursor;
  cursor.advance(eventOf(EventType::kUidBind, "a", 10), 0, 0);
  cursor.advance(eventOf(EventType::kUidBind, "b", 30), 2, 7);
  cursor.advance(eventOf(EventType::kUidBind, "a", 20), 0, 1);
  EXPECT_EQ(cursor.next(), (LogOffsets{{0, 2}, {2, 8}}));
  EXPECT_EQ(cursor.applied(), 3u);
  EXPECT_EQ(cursor.lastTs(), 30);
}

TEST(ProjectionCursor, NamesTheProjectsOfItsEventsAndTheOnesCreatedOrDeleted) {
  ProjectionCursor cursor;
  cursor.advance(eventOf(EventType::kProjectCreate, "", 1, "demo"), 0, 0);
  cursor.advance(eventOf(EventType::kUidBind, "other", 2), 0, 1);
  cursor.advance(eventOf(EventType::kProjectDelete, "", 3, "gone"), 0, 2);
  EXPECT_EQ(cursor.projects(), (std::set<std::string>{"", "demo", "gone", "other"}));
}

}  // namespace
}  // namespace wsd
