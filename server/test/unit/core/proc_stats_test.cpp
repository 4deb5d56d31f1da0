// Reading /proc's text for the process_* metrics: the stat line (whose command name may
// hold spaces and parentheses), btime, the open files limit, and the derived times.
#include "core/proc_stats.h"

#include <gtest/gtest.h>

namespace wsd::proc {
namespace {

// A real /proc/<pid>/stat line (52 fields) with a command name made to mislead.
constexpr const char* kStat =
    "4242 (wsd (x) y) S 1 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 3 0 98765 192327680 4343 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 17920 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

TEST(ProcStat, ReadsTimesAndMemoryCountingFieldsFromTheLastParenthesis) {
  auto stat = parseStat(kStat);
  ASSERT_TRUE(stat.ok()) << stat.error().message;
  EXPECT_EQ(stat->userTicks, 250u);
  EXPECT_EQ(stat->systemTicks, 75u);
  EXPECT_EQ(stat->startTicks, 98765u);
  EXPECT_EQ(stat->virtualBytes, 192327680u);
  EXPECT_EQ(stat->residentPages, 4343u);
}

TEST(ProcStat, ATruncatedOrGarbledLineIsAnErrorNotZeros) {
  EXPECT_EQ(parseStat("4242 (wsd) S 1 2 3").error().code, "proc_unreadable");
  EXPECT_EQ(parseStat("no parentheses at all").error().code, "proc_unreadable");
  std::string garbled = kStat;
  garbled.replace(garbled.find(" 250 "), 5, " 2x0 ");
  EXPECT_EQ(parseStat(garbled).error().code, "proc_unreadable");
}

TEST(ProcBootTime, ReadsTheBtimeLine) {
  auto boot = parseBootTime("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n");
  ASSERT_TRUE(boot.ok());
  EXPECT_EQ(*boot, 1700000000u);
  EXPECT_EQ(parseBootTime("cpu 1 2 3\n").error().code, "proc_unreadable");
  EXPECT_EQ(parseBootTime("btime soon\n").error().code, "proc_unreadable");
}

TEST(ProcLimits, ReadsTheSoftLimitOfOpenFilesOrUnlimited) {
  constexpr const char* kLimits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max processes             63459                63459                processes \n"
      "Max open files            1024                 524288               files     \n";
  auto max = parseMaxOpenFiles(kLimits);
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->value(), 1024u);
  auto unlimited = parseMaxOpenFiles("Max open files            unlimited            unlimited            files\n");
  ASSERT_TRUE(unlimited.ok());
  EXPECT_FALSE(unlimited->has_value());
  EXPECT_EQ(parseMaxOpenFiles("Max processes 5 5 processes\n").error().code, "proc_unreadable");
}

TEST(ProcessTimes, CpuIsUserPlusSystemAndStartIsBootPlusTicks) {
  const ProcStat stat{250, 75, 98765, 0, 0};
  const auto times = processTimes(stat, 1700000000, 100);
  EXPECT_DOUBLE_EQ(times.cpuSeconds, 3.25);
  EXPECT_DOUBLE_EQ(times.startTimeSeconds, 1700000987.65);
}

}  // namespace
}  // namespace wsd::proc
