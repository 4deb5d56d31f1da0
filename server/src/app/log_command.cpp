// `wsd log repair` (see the header).
#include "app/log_command.h"

#include <cstdio>
#include <ctime>
#include <filesystem>

#include "log/file_io.h"
#include "log/log_inspection.h"
#include "log/log_repair.h"
#include "logging/logger.h"

namespace wsd {
namespace {

bool shellSafe(const std::string& text) {
  for (char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
                       c == '.' || c == '_' || c == '-' || c == '+' || c == ':' || c == '=';
    if (!plain) return false;
  }
  return !text.empty();
}

std::string shellQuoted(const std::string& text) {
  if (shellSafe(text)) return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string utcStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

void printReport(const log::RepairReport& report, const std::string& directory) {
  if (report.problem.empty()) {
    std::printf("%s is intact: %llu records; nothing to repair\n", directory.c_str(),
                static_cast<unsigned long long>(report.keptRecords));
    return;
  }
  std::printf("found: %s\n", report.problem.c_str());
  std::printf("kept: %llu records", static_cast<unsigned long long>(report.keptRecords));
  if (report.keptRecords > 0)
    std::printf(" (offsets 0..%llu)", static_cast<unsigned long long>(report.keptRecords - 1));
  std::printf("\nmoved aside into %s (nothing was deleted):\n", report.damagedFolder.c_str());
  for (const auto& line : report.moved) std::printf("  %s\n", line.c_str());
}

}  // namespace

std::string logRepairCommand(const std::string& dataDir) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(dataDir, ec);
  return "wsd log repair --data-dir " + shellQuoted(ec ? dataDir : absolute.lexically_normal().string());
}

int runLogRepair(const Config& config) {
  const std::string directory = config.dataDir + "/log";
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) {
    logging::error("no embedded log in " + directory + " (is --data-dir right?)");
    return 1;
  }
  auto report = log::repairLog(directory, log::kDefaultMaxRecordBytes, utcStamp(), log::systemFileIo());
  if (!report.ok()) {
    logging::error("log repair failed: " + report.error().message);
    return 1;
  }
  printReport(*report, directory);
  auto after = log::inspectLog(directory, log::kDefaultMaxRecordBytes);
  if (!after.ok() || after->firstBreak) {  // cannot happen: everything from the break on was moved
    logging::error("the log is still not intact after the repair: " +
                   (after.ok() ? after->describe(*after->firstBreak) : after.error().message));
    return 1;
  }
  if (!report->problem.empty()) std::printf("the log is intact now; wsd will start on it\n");
  return 0;
}

}  // namespace wsd
