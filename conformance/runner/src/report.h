// The report: a readable summary on stdout, and JUnit XML or JSON files for CI systems.
#pragma once

#include <string>
#include <vector>

#include "case_runner.h"

namespace wsconform {

void printResult(const CaseResult& result);
// The last line is "N passed, N failed".
void printSummary(const std::vector<CaseResult>& results);
bool writeJunit(const std::vector<CaseResult>& results, const std::string& path);
bool writeJson(const std::vector<CaseResult>& results, const std::string& path);

}  // namespace wsconform
