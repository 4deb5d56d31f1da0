// `wsd log repair`: the operator's command that mends the embedded log (log/log_repair.h),
// and the exact text of that command, which wsd prints when it refuses a damaged log.
#pragma once

#include <string>

#include "app/config.h"

namespace wsd {

// Moves the damage aside and prints what was kept and what was moved. Exit status: 0
// repaired or nothing to repair, 1 the repair failed (the message says why).
int runLogRepair(const Config& config);

// "wsd log repair --data-dir '/srv/wsd data'": the data dir absolute and shell-quoted.
std::string logRepairCommand(const std::string& dataDir);

}  // namespace wsd
