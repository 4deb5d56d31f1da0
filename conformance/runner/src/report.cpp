#include "report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <fstream>

namespace wsconform {
namespace {

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string label(const CaseResult& r) { return r.name + " [" + r.transport + "]"; }

// "step 3: " for a failed step; nothing for the setup or cleanup around the steps, whose
// failure says which it was.
std::string where(const CaseResult& r) {
  return r.failedStep >= 0 ? "step " + std::to_string(r.failedStep) + ": " : "";
}

}  // namespace

void printResult(const CaseResult& r) {
  if (!r.skipped.empty()) {
    std::printf("SKIP  %-60s %s\n", label(r).c_str(), r.skipped.c_str());
    std::fflush(stdout);
    return;
  }
  std::printf("%s  %-60s %6lld ms\n", r.passed ? "PASS" : "FAIL", label(r).c_str(),
              static_cast<long long>(r.elapsed.count()));
  if (!r.passed) {
    std::printf("      spec: %s\n      %s%s\n", r.spec.c_str(), where(r).c_str(), r.failure.c_str());
  }
  std::fflush(stdout);
}

namespace {

// Where a run's time went: the whole, and the case that took longest.
void printTiming(const std::vector<CaseResult>& results, std::chrono::milliseconds wallTime, int jobs) {
  const CaseResult* slowest = nullptr;
  for (const auto& r : results) {
    if (r.skipped.empty() && (slowest == nullptr || r.elapsed > slowest->elapsed)) slowest = &r;
  }
  std::printf("\n%.1f s in all, %d case%s at a time", static_cast<double>(wallTime.count()) / 1000, jobs,
              jobs == 1 ? "" : "s");
  if (slowest != nullptr)
    std::printf("; slowest: %s %lld ms", label(*slowest).c_str(), static_cast<long long>(slowest->elapsed.count()));
  std::printf("\n");
}

}  // namespace

void printSummary(const std::vector<CaseResult>& results, std::chrono::milliseconds wallTime, int jobs) {
  std::size_t passed = 0;
  std::size_t skipped = 0;
  for (const auto& r : results) {
    passed += r.passed ? 1 : 0;
    skipped += r.skipped.empty() ? 0 : 1;
  }
  const std::size_t failed = results.size() - passed - skipped;
  if (failed != 0) {
    std::printf("\nFailures:\n");
    for (const auto& r : results) {
      if (!r.passed && r.skipped.empty())
        std::printf("  %s: %s%s\n", label(r).c_str(), where(r).c_str(), r.failure.c_str());
    }
  }
  printTiming(results, wallTime, jobs);
  // Skipped cases are neither: a run that skipped some proves nothing about them.
  if (skipped != 0)
    std::printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
  else
    std::printf("%zu passed, %zu failed\n", passed, failed);
}

bool writeJunit(const std::vector<CaseResult>& results, const std::string& path) {
  std::ofstream out(path);
  std::size_t failures = 0;
  std::size_t skipped = 0;
  for (const auto& r : results) {
    failures += r.passed || !r.skipped.empty() ? 0 : 1;
    skipped += r.skipped.empty() ? 0 : 1;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"wsconform\" tests=\"" << results.size()
      << "\" failures=\"" << failures << "\" skipped=\"" << skipped << "\">\n";
  for (const auto& r : results) {
    out << "  <testcase classname=\"" << xmlEscape(r.transport) << "\" name=\"" << xmlEscape(r.name) << "\" time=\""
        << static_cast<double>(r.elapsed.count()) / 1000 << "\">";
    if (!r.skipped.empty()) {
      out << "<skipped message=\"" << xmlEscape(r.skipped) << "\"/>";
    } else if (!r.passed) {
      out << "<failure message=\"" << xmlEscape("step " + std::to_string(r.failedStep)) << "\">" << xmlEscape(r.failure)
          << "</failure>";
    }
    out << "</testcase>\n";
  }
  out << "</testsuite>\n";
  return static_cast<bool>(out);
}

bool writeJson(const std::vector<CaseResult>& results, const std::string& path) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const auto& r : results) {
    w.StartObject();
    w.Key("name"), w.String(r.name.c_str());
    w.Key("transport"), w.String(r.transport.c_str());
    w.Key("spec"), w.String(r.spec.c_str());
    w.Key("result"), w.String(!r.skipped.empty() ? "skip" : r.passed ? "pass" : "fail");
    w.Key("ms"), w.Int64(r.elapsed.count());
    if (!r.skipped.empty()) {
      w.Key("reason"), w.String(r.skipped.c_str());
    } else if (!r.passed) {
      w.Key("step"), w.Int(r.failedStep);
      w.Key("failure"), w.String(r.failure.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  std::ofstream out(path);
  out << buffer.GetString() << "\n";
  return static_cast<bool>(out);
}

}  // namespace wsconform
