// wslog's command line: one table of flags (options.cpp), each with the commands that
// take it and its meaning; `wslog --help` prints the table, so usage cannot drift from
// the code. Parsing is pure; a bad flag fails with a message that says what to change.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/log_chain.h"
#include "core/projector.h"
#include "event_filter.h"
#include "export_format.h"
#include "log_source.h"
#include "record.h"
#include "whatif.h"

namespace wsd::wslog {

enum class Command { kExport, kStats, kReplay, kVerify, kTimeline, kWhatIf, kReport };

struct Options {
  Command command = Command::kExport;
  SourceOptions source;
  FilterSpec filter;                               // export, stats; timeline and whatif: project, since, until
  ExportFormat format = ExportFormat::kJsonLines;  // export
  std::string output;                              // export, report: a file; empty: stdout (not for parquet)
  std::string python = "python3";                  // export --format parquet: a python with pyarrow
  bool perMinute = false;                          // stats
  bool perProjectType = false;                     // stats
  std::string redisUrl;                            // replay (optional), verify (this or adminUrl)
  std::string adminUrl;                            // verify: a live wsd whose own state to check
  std::string adminTokenFile;                      // verify --admin-url: its admin token
  std::optional<Offsets> untilOffset;              // replay, verify
  std::optional<std::int64_t> asOf;                // replay
  std::string dumpPath;                            // replay, verify: the canonical dump; "-": stdout
  ProjectorLimits limits;                          // replay, verify, timeline, whatif: as wsd was run
  std::optional<std::string> room;                 // timeline
  WhatIfRule rule;                                 // whatif
  bool details = false;                            // whatif
  bool records = false;                            // verify: check the segment files' records, not Redis
  bool chain = false;                              // verify: check the log's chain (core/log_chain.h), not Redis
  std::string chainKeyFile;                        // verify --chain: the key its checkpoints are signed with
  std::vector<chain::Anchor> anchors;              // verify --chain: checkpoint hashes published elsewhere
  bool expectClosed = false;                       // verify --chain on a topic: every chain must be closed
  bool help = false;
};

Result<Options> parseOptions(const std::vector<std::string>& args);
std::string usageText();

}  // namespace wsd::wslog
