// The operator's log lines: text keeps wsd's wording after the level, JSON is one object
// with stable keys, and a registered secret never appears in either.
#include "logging/logger.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace wsd::logging {
namespace {

TEST(Logger, TextLinesCarryTheLevelThenWsdsWordingThenTheFields) {
  EXPECT_EQ(render(Format::kText, Level::kInfo, "listening on http://127.0.0.1:8080", {}),
            "info wsd: listening on http://127.0.0.1:8080");
  EXPECT_EQ(render(Format::kText, Level::kWarn, "admin event stream dropped", {{"project", "p1"}, {"conn", "c9"}}),
            "warn wsd: admin event stream dropped project=p1 conn=c9");
  EXPECT_EQ(render(Format::kText, Level::kInfo, "project.create applied project=p1", {{"project", "p1"}}),
            "info wsd: project.create applied project=p1");
}

TEST(Logger, JsonLinesAreOneObjectWithLevelMessageAndFields) {
  // spdlog writes `{"ts":"...",` before this tail.
  const std::string line =
      "{\"ts\":\"2026-01-01T00:00:00.000Z\"," +
      render(Format::kJson, Level::kError, "kafka: \"FAIL\"\nbrokers down", {{"project", "p"}, {"event", "e1"}});
  rapidjson::Document doc;
  ASSERT_FALSE(doc.Parse(line.c_str()).HasParseError()) << line;
  EXPECT_STREQ(doc["level"].GetString(), "error");
  EXPECT_STREQ(doc["msg"].GetString(), "kafka: \"FAIL\"\nbrokers down");
  EXPECT_STREQ(doc["project"].GetString(), "p");
  EXPECT_STREQ(doc["event"].GetString(), "e1");
  EXPECT_EQ(line.find('\n'), std::string::npos) << "a JSON line must stay one line";
}

TEST(Logger, ARegisteredSecretIsMaskedInEveryFormat) {
  addSecret("s3cr3t-token");
  addSecret("");  // ignored: it would match everywhere
  EXPECT_EQ(render(Format::kText, Level::kInfo, "token s3cr3t-token and s3cr3t-token again", {}),
            "info wsd: token *** and *** again");
  EXPECT_EQ(render(Format::kJson, Level::kInfo, "x", {{"uid", "s3cr3t-token"}}).find("s3cr3t"), std::string::npos);
}

TEST(Logger, LevelsFilterAndNamesReadAsDocumented) {
  EXPECT_EQ(levelNamed("debug"), Level::kDebug);
  EXPECT_EQ(levelNamed("warn"), Level::kWarn);
  EXPECT_EQ(levelNamed("error"), Level::kError);
  EXPECT_EQ(formatNamed("json"), Format::kJson);
  configure(Level::kWarn, Format::kText);
  EXPECT_FALSE(enabled(Level::kInfo));
  EXPECT_TRUE(enabled(Level::kError));
  configure(Level::kInfo, Format::kText);
  EXPECT_TRUE(enabled(Level::kInfo));
  EXPECT_FALSE(enabled(Level::kDebug));
}

}  // namespace
}  // namespace wsd::logging
