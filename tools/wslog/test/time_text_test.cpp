// Times as analysts type them (ISO-8601 or epoch ms) and as wslog prints them.
#include "time_text.h"

#include <gtest/gtest.h>

namespace wsd::wslog {
namespace {

struct TimeCase {
  const char* text;
  std::int64_t ms;
};

class ParseTime : public ::testing::TestWithParam<TimeCase> {};

TEST_P(ParseTime, ReadsTheInstantTheTextNames) {
  auto parsed = parseTime(GetParam().text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(*parsed, GetParam().ms);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseTime,
    ::testing::Values(TimeCase{"1714572000000", 1714572000000}, TimeCase{"0", 0}, TimeCase{"2024-05-01", 1714521600000},
                      TimeCase{"2024-05-01T14:00", 1714572000000}, TimeCase{"2024-05-01T14:00Z", 1714572000000},
                      TimeCase{"2024-05-01 14:00:00", 1714572000000},
                      TimeCase{"2024-05-01T14:00:05.25Z", 1714572005250},
                      TimeCase{"2024-05-01T14:00:05.123456Z", 1714572005123},
                      TimeCase{"2024-05-01T16:00:00+02:00", 1714572000000},
                      TimeCase{"2024-05-01T08:30:00-0530", 1714572000000},
                      TimeCase{"2024-05-01T15:00+01", 1714572000000}, TimeCase{"2024-02-29T00:00:00Z", 1709164800000},
                      TimeCase{"1969-12-31T23:59:59.999Z", -1}, TimeCase{"2000-03-01", 951868800000}));

TEST(ParseTimeErrors, RefusesWhatIsNotATimeAndSaysWhatToType) {
  for (const char* text : {"", "yesterday", "2024-13-01", "2023-02-29", "2024-05-01T25:00", "2024-05-01T14",
                           "2024-05-01T14:00Zjunk", "2024-05-01T14:00+99:00", "-5", "2024/05/01"}) {
    auto parsed = parseTime(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message.find("ISO-8601"), std::string::npos);
  }
}

TEST(FormatTime, PrintsUtcWithMilliseconds) {
  EXPECT_EQ(formatTime(1714572005250), "2024-05-01T14:00:05.250Z");
  EXPECT_EQ(formatTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(formatTime(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(formatMinute(1714572005250), "2024-05-01T14:00Z");
  EXPECT_EQ(formatDay(1714572005250), "2024-05-01");
}

TEST(FormatTime, RoundTripsThroughParse) {
  for (std::int64_t ms : {0LL, 1LL, 951868800000LL, 1714572005250LL, 4102444799999LL}) {
    auto parsed = parseTime(formatTime(ms));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, ms);
  }
}

}  // namespace
}  // namespace wsd::wslog
