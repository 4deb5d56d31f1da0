// wslog export and wslog stats: one filtered pass over the log (two with --uid).
#include <cstdio>
#include <memory>

#include "commands.h"
#include "parquet_export.h"
#include "progress.h"
#include "stats.h"

namespace wsd::wslog {
namespace {

// The --uid filter's first pass: which connections bound to the uid.
Status learn(LogSource& source, EventFilter& filter) {
  if (!filter.needsFirstPass()) return okStatus();
  Progress progress("finding the uid's connections", source.recordCount());
  return source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    filter.learn(*r.event);
    return true;
  });
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f != nullptr && f != stdout) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Result<File> openOutput(const std::string& path) {
  if (path.empty() || path == "-") return File(stdout);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return makeError("output", "cannot write " + path);
  return File(f);
}

// The filtered events, rendered in `format`, to `f`.
Status writeEvents(const Options& o, LogSource& source, EventFilter& filter, std::FILE* f) {
  static char buffer[1 << 20];
  std::setvbuf(f, buffer, _IOFBF, sizeof(buffer));
  std::fputs(exportHeader(o.format).c_str(), f);
  Progress progress("export", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    if (!filter.matches(*r.event)) return true;
    const std::string line = exportLine(o.format, r);
    return std::fwrite(line.data(), 1, line.size(), f) == line.size();
  });
  progress.finish();
  if (!read.ok()) return read;
  if (std::fflush(f) != 0 || std::ferror(f) != 0) {
    return makeError("output", "writing " + (o.output.empty() ? std::string("stdout") : o.output) + " failed");
  }
  return okStatus();
}

// The CSV rows into the Parquet writer; its failure is the one to report (a write to it
// fails only because it stopped reading).
Status exportParquet(const Options& o, LogSource& source, EventFilter& filter) {
  auto writer = ParquetWriter::start(o.python, o.output);
  if (!writer.ok()) return writer.error();
  Status written = writeEvents(o, source, filter, (*writer)->input());
  Status finished = (*writer)->finish();
  if (!finished.ok()) return finished;
  return written;
}

}  // namespace

int fail(const Error& error) {
  std::fprintf(stderr, "wslog: %s\n", error.message.c_str());
  return kExitFailed;
}

int runExport(const Options& o, LogSource& source) {
  EventFilter filter(o.filter);
  if (auto learnt = learn(source, filter); !learnt.ok()) return fail(learnt.error());
  if (o.format == ExportFormat::kParquet) {
    const Status exported = exportParquet(o, source, filter);
    return exported.ok() ? kExitOk : fail(exported.error());
  }
  auto out = openOutput(o.output);
  if (!out.ok()) return fail(out.error());
  const Status written = writeEvents(o, source, filter, out->get());
  return written.ok() ? kExitOk : fail(written.error());
}

int runStats(const Options& o, LogSource& source) {
  EventFilter filter(o.filter);
  if (auto learnt = learn(source, filter); !learnt.ok()) return fail(learnt.error());
  StatsAggregator stats;
  Progress progress("stats", source.recordCount());
  auto read = source.read(std::nullopt, [&](const LogRecord& r) {
    progress.step();
    if (filter.matches(*r.event)) stats.add(*r.event);
    return true;
  });
  progress.finish();
  if (!read.ok()) return fail(read.error());
  std::fputs(renderStats(stats.report(), {o.perMinute, o.perProjectType}).c_str(), stdout);
  return kExitOk;
}

}  // namespace wsd::wslog
