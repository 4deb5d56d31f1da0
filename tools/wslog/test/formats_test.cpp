// Export formats, offsets as text, the progress line and the command line.
#include "export_format.h"
#include "options.h"
#include "progress.h"
#include "record.h"
#include "test_events.h"

namespace wsd::wslog {
namespace {

TEST(ExportFormat, JsonLinesAreTheEventsAsLogged) {
  testing::Log log;
  log.add({"uid.bind", "p", "c1", 1714572000000, R"({"uid":"a"})"});
  EXPECT_EQ(exportLine(ExportFormat::kJsonLines, log.record(0)), log.payloads[0] + "\n");
  EXPECT_EQ(exportHeader(ExportFormat::kJsonLines), "");
}

TEST(ExportFormat, CsvQuotesWhatNeedsQuotingAndKeepsDataAsJson) {
  testing::Log log;
  log.add({"message.direct", "p", "c1", 1714572000000, R"({"from":"a","to":"b","msg":"x, \"y\"\nz"})"}, 2);
  EXPECT_EQ(exportHeader(ExportFormat::kCsv), "partition,offset,id,ts,time,project,node,conn,type,data\n");
  EXPECT_EQ(exportLine(ExportFormat::kCsv, log.record(0)),
            "2,0,id-1714572000000,1714572000000,2024-05-01T14:00:00.000Z,p,n1,c1,message.direct,"
            R"("{""from"":""a"",""to"":""b"",""msg"":""x, \""y\""\nz""}")"
            "\n");
  EXPECT_EQ(csvField("plain"), "plain");
  EXPECT_EQ(csvField("a\r\nb"), "\"a\r\nb\"");
  EXPECT_FALSE(parseExportFormat("xml").ok());
}

TEST(Offsets, ReadTheEmbeddedAndThePartitionedForms) {
  EXPECT_EQ(*parseOffsets("42"), (Offsets{{0, 42}}));
  EXPECT_EQ(*parseOffsets("0:5,3:7"), (Offsets{{0, 5}, {3, 7}}));
  for (const char* bad : {"", "x", "1:", ":1", "1:2,1:3", "-1", "1:-2", "5,6"})
    EXPECT_FALSE(parseOffsets(bad).ok()) << bad;
  EXPECT_EQ(offsetsText({{0, 5}, {3, 7}}), "0:5,3:7");
  EXPECT_EQ(positionText({2, 17}, true), "2:17");
  EXPECT_EQ(positionText({0, 17}, false), "17");
}

TEST(Progress, SaysHowFarAndOfWhat) {
  EXPECT_EQ(progressText("export", 250, 1000), "export: 250/1000 events, 25%");
  EXPECT_EQ(progressText("export", 7, 0), "export: 7 events");
  EXPECT_EQ(progressText("export", 10, 5), "export: 10/5 events, 100%");
}

TEST(Options, ParsesACommandItsSourceAndItsFlags) {
  auto o = parseOptions({"export", "--log-dir", "/d/log", "--type", "message.*", "--since", "2024-05-01", "--format",
                         "csv", "--uid", "bob"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->command, Command::kExport);
  EXPECT_EQ(o->source.logDir, "/d/log");
  EXPECT_EQ(o->filter.types, std::vector<std::string>{"message.*"});
  EXPECT_EQ(*o->filter.since, 1714521600000);
  EXPECT_EQ(o->format, ExportFormat::kCsv);
  EXPECT_EQ(*o->filter.uid, "bob");

  auto w = parseOptions({"whatif", "--kafka-brokers", "k:9092", "--mail-limit", "3", "--mail-window", "30"});
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ(w->source.kafkaTopic, "wsd.events");
  EXPECT_EQ(w->rule.limit, 3);
  EXPECT_EQ(*w->rule.windowMs, 30000);

  auto p = parseOptions({"export", "--log-dir", "/d/log", "--format", "parquet", "--output", "e.parquet", "--python",
                         "/opt/py/bin/python"});
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->format, ExportFormat::kParquet);
  EXPECT_EQ(p->python, "/opt/py/bin/python");

  auto v = parseOptions({"verify", "--log-dir", "/d/log", "--admin-url", "http://127.0.0.1:8080", "--admin-token-file",
                         "/d/admin-token"});
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->adminUrl, "http://127.0.0.1:8080");
  EXPECT_EQ(v->adminTokenFile, "/d/admin-token");

  auto r = parseOptions({"report", "--kafka-brokers", "k:9092", "--output", "r.html", "--max-inbox", "50"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->command, Command::kReport);
  EXPECT_EQ(r->output, "r.html");
  EXPECT_EQ(r->limits.inboxMax, 50u);
}

TEST(Options, RefusesWhatCannotWorkAndSaysWhy) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  for (const auto& c : std::vector<Case>{
           {{"frobnicate"}, "unknown command"},
           {{"export"}, "name one log"},
           {{"export", "--log-dir", "a", "--kafka-brokers", "b"}, "name one log"},
           {{"export", "--log-dir", "a", "--redis", "redis://x"}, "does not apply to export"},
           {{"export", "--log-dir", "a", "--since", "soon"}, "ISO-8601"},
           {{"export", "--log-dir"}, "needs DIR"},
           {{"verify", "--log-dir", "a"}, "verify needs --redis"},
           {{"timeline", "--log-dir", "a", "--room", "r"}, "needs --project"},
           {{"timeline", "--log-dir", "a", "--project", "p"}, "--room R or --uid U"},
           {{"whatif", "--log-dir", "a"}, "needs --mail-limit"},
           {{"whatif", "--log-dir", "a", "--mail-limit", "-1"}, "whole number"},
           {{"replay", "--log-dir", "a", "--project", "p"}, "does not apply to replay"},
           {{"export", "--log-dir", "a", "--format", "xml"}, "jsonl, csv or parquet"},
           {{"export", "--log-dir", "a", "--format", "parquet"}, "add --output FILE.parquet"},
           {{"verify", "--log-dir", "a", "--admin-url", "http://h:1"}, "needs --admin-token-file"},
           {{"verify", "--log-dir", "a", "--admin-url", "http://h:1", "--admin-token-file", "t", "--redis",
             "redis://x"},
            "drop --records, --chain, --redis"},
           {{"verify", "--log-dir", "a", "--admin-url", "http://h:1", "--admin-token-file", "t", "--max-inbox", "5"},
            "the limits the wsd reports"},
           {{"verify", "--log-dir", "a", "--redis", "redis://x", "--admin-token-file", "t"},
            "goes with verify --admin-url"},
           {{"report", "--log-dir", "a", "--project", "p"}, "does not apply to report"},
       }) {
    auto o = parseOptions(c.args);
    ASSERT_FALSE(o.ok()) << c.args[0];
    EXPECT_NE(o.error().message.find(c.says), std::string::npos) << o.error().message;
  }
}

TEST(Options, HelpListsEveryCommandAndFlag) {
  EXPECT_TRUE(parseOptions({}).value().help);
  EXPECT_TRUE(parseOptions({"replay", "--help"}).value().help);
  const auto text = usageText();
  for (const char* word :
       {"export", "stats", "replay", "verify", "timeline", "whatif", "report", "--as-of", "--mail-window",
        "--until-offset", "--dump", "--admin-url", "--python", "parquet", "exit status"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
}

}  // namespace
}  // namespace wsd::wslog
