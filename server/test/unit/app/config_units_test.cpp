// Durations and sizes with units, as every option of those kinds reads them.
#include "app/config_units.h"

#include <gtest/gtest.h>

namespace wsd {
namespace {

TEST(ConfigUnits, DurationsReadEveryUnitAndABareNumberIsSeconds) {
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("500ms"), 0.5);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("25s"), 25);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("5m"), 300);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("1h"), 3600);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("3d"), 259200);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("1.5h"), 5400);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("15"), 15);
  EXPECT_DOUBLE_EQ(*parseDurationSeconds("0.25"), 0.25);
}

TEST(ConfigUnits, ADurationWithoutANumberOrWithAnUnknownUnitIsRefused) {
  for (const char* bad : {"", "s", "ms", "5 s", "5sec", "5w", "-1s", "+5s", "inf", "nan", "1e999"}) {
    EXPECT_FALSE(parseDurationSeconds(bad).ok()) << bad;
  }
}

TEST(ConfigUnits, SizesReadBinaryAndDecimalUnitsAndABareNumberIsBytes) {
  EXPECT_EQ(*parseSizeBytes("512B"), 512u);
  EXPECT_EQ(*parseSizeBytes("64KiB"), 65536u);
  EXPECT_EQ(*parseSizeBytes("4MiB"), 4194304u);
  EXPECT_EQ(*parseSizeBytes("1GiB"), 1073741824u);
  EXPECT_EQ(*parseSizeBytes("2kB"), 2000u);
  EXPECT_EQ(*parseSizeBytes("3MB"), 3000000u);
  EXPECT_EQ(*parseSizeBytes("4096"), 4096u);
}

TEST(ConfigUnits, ASizeThatIsFractionalNegativeOrTooLargeIsRefused) {
  for (const char* bad : {"", "KiB", "1.5MiB", "-1", "4 MiB", "4mib", "99999999999TiB", "18446744073709551616"}) {
    EXPECT_FALSE(parseSizeBytes(bad).ok()) << bad;
  }
}

TEST(ConfigUnits, SecondsTextReadsBackExactly) {
  EXPECT_EQ(secondsText(259200), "259200");
  EXPECT_EQ(secondsText(0.5), "0.5");
  EXPECT_EQ(secondsText(0.001), "0.001");
}

}  // namespace
}  // namespace wsd
