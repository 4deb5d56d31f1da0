// The report: a readable summary on stdout, and JUnit XML or JSON files for CI systems.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "case_runner.h"

namespace wsconform {

void printResult(const CaseResult& result);
// The failures again, how long the run took (and its slowest case), and last the line
// "N passed, N failed".
void printSummary(const std::vector<CaseResult>& results, std::chrono::milliseconds wallTime, int jobs);
bool writeJunit(const std::vector<CaseResult>& results, const std::string& path);
bool writeJson(const std::vector<CaseResult>& results, const std::string& path);

}  // namespace wsconform
