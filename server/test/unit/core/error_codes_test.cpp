// The table of client-visible codes: each code once, well formed, on a surface that says
// how it travels, and the disconnect labels of /metrics taken from it.
#include "core/error_codes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/disconnect_labels.h"

namespace wsd::error_codes {
namespace {

constexpr unsigned kEverySurface = kErrorMessage | kHttpError | kCloseReason;

TEST(ErrorCodes, EveryCodeIsListedOnce) {
  std::set<std::string> seen;
  for (const auto& code : kAll) EXPECT_TRUE(seen.insert(code.name).second) << code.name << " is listed twice";
}

TEST(ErrorCodes, EveryNameIsLowercaseSnakeCase) {
  const std::regex snake("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  for (const auto& code : kAll) EXPECT_TRUE(std::regex_match(code.name, snake)) << code.name;
}

TEST(ErrorCodes, EveryCodeTravelsSomeWayAndSaysWhatItMeans) {
  for (const auto& code : kAll) {
    EXPECT_NE(code.surfaces, 0U) << code.name;
    EXPECT_EQ(code.surfaces & ~kEverySurface, 0U) << code.name;
    EXPECT_FALSE(std::string(code.meaning).empty()) << code.name;
  }
}

TEST(ErrorCodes, HttpCodesHaveAnErrorStatusAndOthersNone) {
  for (const auto& code : kAll) {
    const bool http = (code.surfaces & kHttpError) != 0;
    EXPECT_EQ(code.httpStatuses[0] != 0, http) << code.name;
    for (const int status : code.httpStatuses) {
      if (status == 0) continue;
      EXPECT_TRUE(status >= 400 && status <= 599) << code.name << " " << status;
    }
    EXPECT_TRUE(code.httpStatuses[1] == 0 || code.httpStatuses[1] != code.httpStatuses[0]) << code.name;
  }
}

// RFC 6455 §7.4: a server may close with 1000-1003 and 1007-1014 (1004-1006 and 1015 are
// never sent), or a code of 3000-4999 (registered or private).
TEST(ErrorCodes, CloseReasonsHaveACloseCodeAServerMaySendAndOthersNone) {
  for (const auto& code : kAll) {
    const bool close = (code.surfaces & kCloseReason) != 0;
    EXPECT_EQ(code.closeCode != 0, close) << code.name;
    if (!close) continue;
    const int c = code.closeCode;
    EXPECT_TRUE((c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999)) << code.name;
  }
}

TEST(ErrorCodes, NamedEntriesAreTheTablesOwn) {
  EXPECT_EQ(&kNotBound, &entry("not_bound"));
  EXPECT_STREQ(kSlowConsumer.name, "slow_consumer");
  EXPECT_EQ(kHeartbeatTimeout.closeCode, 4000);
  EXPECT_EQ(kBadRequest.httpStatuses[1], 413);
}

TEST(ErrorCodes, DisconnectReasonsAreTheTablesCloseReasonsBetweenTheTransportsOwnLabels) {
  std::vector<std::string_view> expected(disconnect::kClientEndLabels.begin(), disconnect::kClientEndLabels.end());
  for (const auto& code : kAll) {
    if ((code.surfaces & kCloseReason) != 0) expected.emplace_back(code.name);
  }
  expected.insert(expected.end(), disconnect::kCodeLabels.begin(), disconnect::kCodeLabels.end());
  EXPECT_EQ(std::vector<std::string_view>(disconnect::kReasons.begin(), disconnect::kReasons.end()), expected);
  std::vector<std::string_view> ownLabels(disconnect::kClientEndLabels.begin(), disconnect::kClientEndLabels.end());
  ownLabels.insert(ownLabels.end(), disconnect::kCodeLabels.begin(), disconnect::kCodeLabels.end());
  for (const auto label : ownLabels) {
    EXPECT_TRUE(std::none_of(kAll.begin(), kAll.end(), [&](const ErrorCode& c) { return c.name == label; }))
        << label << " is a code of the table: it would be counted twice";
  }
}

TEST(ErrorCodes, EveryCloseCodeIsALabelOfItsOwn) {
  for (const auto& code : kAll) {
    if (code.closeCode == 0) continue;
    const auto labels = disconnect::labelsFor(code.closeCode, code.name);
    EXPECT_EQ(disconnect::kCodes.at(labels.code), std::to_string(code.closeCode)) << code.name;
    EXPECT_EQ(disconnect::kReasons.at(labels.reason), code.name);
  }
}

}  // namespace
}  // namespace wsd::error_codes
