// The subcommands: each reads the source, feeds the pure parts (filter, stats, replayer,
// timeline, whatif, snapshot) and prints. Outcomes are exit codes (below); messages for
// humans go to stderr, results to stdout (or --output / --dump).
#pragma once

#include "log_source.h"
#include "options.h"

namespace wsd::wslog {

constexpr int kExitOk = 0;
constexpr int kExitDiffers = 1;  // verify: Redis is not what the log says, or a record is bad
constexpr int kExitUsage = 2;
constexpr int kExitFailed = 3;  // the log or Redis could not be read or written

int runExport(const Options& options, LogSource& source);
int runStats(const Options& options, LogSource& source);
int runReplay(const Options& options, LogSource& source);
int runVerify(const Options& options, LogSource& source);
// verify --admin-url: asks the wsd for its state first, then opens the log (so the log
// read holds every record the state reflects), replays up to that position and compares.
int runVerifyLive(const Options& options);
// verify --records: reads the segment files themselves, not through a LogSource (which
// stops at the first bad record).
int runVerifyRecords(const Options& options);
// verify --chain: every record's link and the checkpoints (core/log_chain.h).
int runVerifyChain(const Options& options, LogSource& source);
int runTimeline(const Options& options, LogSource& source);
int runWhatIf(const Options& options, LogSource& source);
int runReport(const Options& options, LogSource& source);

// Prints "wslog: MESSAGE" on stderr; returns kExitFailed.
int fail(const Error& error);

}  // namespace wsd::wslog
