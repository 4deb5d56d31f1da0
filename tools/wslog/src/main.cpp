// wslog: the analyst's and operator's tool over wsd's event log (docs/analysts.md).
//   wslog COMMAND (--log-dir DIR | --kafka-brokers HOST:PORT [--kafka-topic T]) [options]
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.h"

namespace {

int run(int argc, char** argv) {
  using namespace wsd::wslog;
  auto options = parseOptions(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::fprintf(stderr, "wslog: %s\n", options.error().message.c_str());
    return kExitUsage;
  }
  if (options->help) {
    std::fputs(usageText().c_str(), stdout);
    return kExitOk;
  }
  if (options->command == Command::kVerify && options->records) return runVerifyRecords(*options);
  if (options->command == Command::kVerify && !options->adminUrl.empty()) return runVerifyLive(*options);
  auto source = openSource(options->source);
  if (!source.ok()) return fail(source.error());
  switch (options->command) {
    case Command::kExport: return runExport(*options, **source);
    case Command::kStats: return runStats(*options, **source);
    case Command::kReplay: return runReplay(*options, **source);
    case Command::kVerify: return options->chain ? runVerifyChain(*options, **source) : runVerify(*options, **source);
    case Command::kTimeline: return runTimeline(*options, **source);
    case Command::kWhatIf: return runWhatIf(*options, **source);
    case Command::kReport: return runReport(*options, **source);
  }
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // out of memory and the like: say so, do not abort silently
    std::fprintf(stderr, "wslog: fatal: %s\n", e.what());
    return wsd::wslog::kExitFailed;
  }
}
