// wslog report: the log replayed through wsd's Projector, folded into minutes
// (report_data.h) and drawn as one HTML page (report_html.h).
#include <cstdio>
#include <fstream>

#include "commands.h"
#include "progress.h"
#include "replayer.h"
#include "report_html.h"
#include "store/memory_store.h"

namespace wsd::wslog {
namespace {

std::string sourceText(const SourceOptions& s) {
  if (!s.logDir.empty()) return "embedded log " + s.logDir;
  return "Kafka topic " + s.kafkaTopic + " at " + s.kafkaBrokers;
}

Status writePage(const std::string& path, const std::string& page) {
  if (path.empty() || path == "-") {
    return std::fwrite(page.data(), 1, page.size(), stdout) == page.size()
               ? okStatus()
               : Status(makeError("output", "writing stdout failed"));
  }
  std::ofstream out(path, std::ios::binary);
  out << page;
  out.close();
  return out ? okStatus() : Status(makeError("output", "cannot write " + path));
}

}  // namespace

int runReport(const Options& o, LogSource& source) {
  store::MemoryStore state;
  Replayer replayer(state, o.limits, {});
  ReportAggregator report;
  Progress progress("report", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    report.add(*r.event, replayer.apply(r));
    return true;
  });
  progress.finish();
  if (!read.ok()) return fail(read.error());
  ReportOptions options;
  options.source = sourceText(o.source);
  if (auto written = writePage(o.output, renderReport(report.data(), options)); !written.ok()) {
    return fail(written.error());
  }
  if (!o.output.empty() && o.output != "-") {
    std::fprintf(stderr, "wslog: report of %llu events written to %s\n",
                 static_cast<unsigned long long>(report.data().events), o.output.c_str());
  }
  return kExitOk;
}

}  // namespace wsd::wslog
