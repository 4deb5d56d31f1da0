// A run's figures as a person reads them, or as one JSON object (--json).
#pragma once

#include <string>

#include "options.h"
#include "scenarios.h"

namespace wsbench {

std::string textReport(const Options& options, const RunResult& result);
std::string jsonReport(const Options& options, const RunResult& result);

}  // namespace wsbench
