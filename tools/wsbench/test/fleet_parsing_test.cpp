// How wsbench reads server messages without a JSON parser on its hot path.
#include <gtest/gtest.h>

#include "fleet.h"
#include "http_call.h"

namespace wsbench {
namespace {

TEST(MessageFields, TypeMatchesOnlyTheWholeName) {
  EXPECT_TRUE(hasType(R"({"type":"direct","from":"a"})", "direct"));
  EXPECT_FALSE(hasType(R"({"type":"directly"})", "direct"));
  EXPECT_FALSE(hasType(R"({"msg":"x"})", "direct"));
}

TEST(MessageFields, TheSendTimeIsFoundButNotInTimestamp) {
  EXPECT_EQ(integerField(R"({"type":"broadcast","msg":{"t":123456789},"timestamp":5})", "t"), 123456789);
  EXPECT_EQ(integerField(R"({"type":"broadcast","timestamp":5})", "t"), -1);
}

TEST(MessageFields, JsonStringReadsAFlatField) {
  EXPECT_EQ(jsonString(R"({"status":"success","token":"abc123"})", "token"), "abc123");
  EXPECT_EQ(jsonString(R"({"status":"success"})", "token"), "");
}

}  // namespace
}  // namespace wsbench
