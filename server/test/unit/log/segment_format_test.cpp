// The record format and the torn-tail rule (segment_format.h, T1..T4): what a crash can
// leave at the end of the last segment is a torn tail; anything else is damage.
#include "log/segment_format.h"

#include <gtest/gtest.h>

#include <ostream>

namespace wsd::log {
namespace {

constexpr std::uint32_t kMax = 1 << 16;

std::string records(int count) {
  std::string out;
  for (int i = 0; i < count; ++i) appendRecord(out, "{\"record\":" + std::to_string(i) + "}");
  return out;
}

TEST(SegmentName, RoundTripsAndRejectsWhatIsNotASegment) {
  EXPECT_EQ(segmentName(42), "00000000000000000042.log");
  EXPECT_EQ(parseSegmentName("00000000000000000042.log"), 42u);
  EXPECT_FALSE(parseSegmentName("0000000000000000004x.log"));  // once a crash at start (stoull)
  EXPECT_FALSE(parseSegmentName("99999999999999999999.log"));  // above 2^64
  EXPECT_FALSE(parseSegmentName("00000000000000000042.log.torn"));
  EXPECT_FALSE(parseSegmentName("notes.txt"));
}

struct TailCase {
  const char* name;
  std::string tail;  // appended after three intact records
  bool lastSegment;
  Flaw expected;
};

void PrintTo(const TailCase& c, std::ostream* out) { *out << c.name; }

class TornTailRule : public ::testing::TestWithParam<TailCase> {};

TEST_P(TornTailRule, ClassifiesWhatFollowsTheIntactRecords) {
  const TailCase& c = GetParam();
  const std::string data = records(3) + c.tail;
  const SegmentScan scan = scanSegment(data, kMax, c.lastSegment);
  EXPECT_EQ(scan.records, 3u);
  EXPECT_EQ(scan.intactBytes, records(3).size());
  EXPECT_EQ(scan.flaw, c.expected) << scan.problem;
}

std::string lastRecordWithBadCrc() {
  std::string r = records(1);
  r.back() ^= 0x01;
  return r;
}

std::string badCrcThenIntact() { return lastRecordWithBadCrc() + records(1); }

INSTANTIATE_TEST_SUITE_P(
    Cases, TornTailRule,
    ::testing::Values(
        TailCase{"nothing", "", true, Flaw::kNone},
        TailCase{"short_header", std::string("\x10\x00\x00", 3), true, Flaw::kTornTail},  // T1
        TailCase{"zeros", std::string(100, '\0'), true, Flaw::kTornTail},                 // T2
        TailCase{"half_a_record", records(1).substr(0, 12), true, Flaw::kTornTail},       // T3
        TailCase{"bad_crc_at_the_end", lastRecordWithBadCrc(), true, Flaw::kTornTail},    // T4
        TailCase{"bad_crc_then_an_intact_record", badCrcThenIntact(), true, Flaw::kDamage},
        TailCase{"past_the_end_over_intact_records", std::string("\x00\x10\x00\x00\x00\x00\x00\x00", 8) + records(2),
                 true, Flaw::kDamage},
        TailCase{"impossible_length", std::string("\xff\xff\xff\x7f\x01\x02\x03\x04", 8), true, Flaw::kDamage},
        TailCase{"short_header_of_an_earlier_segment", std::string("\x10\x00\x00", 3), false, Flaw::kDamage},
        TailCase{"bad_crc_at_the_end_of_an_earlier_segment", lastRecordWithBadCrc(), false, Flaw::kDamage}),
    [](const ::testing::TestParamInfo<TailCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace wsd::log
