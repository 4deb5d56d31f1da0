// Runs one conformance case over one transport: a fresh project and token, the actors,
// and the steps in order. The first step that fails ends the case with a report of what
// was expected and what arrived. Afterwards the projects the case created (with their
// tokens) are deleted, unless the run keeps them.
#pragma once

#include <rapidjson/document.h>

#include <chrono>
#include <string>

#include "core/schema_registry.h"

namespace wsconform {

struct RunSettings {
  std::string baseUrl;
  std::string adminToken;
  double timeoutScale = 1.0;
  const wsd::SchemaRegistry* schemas = nullptr;
  std::string mailTo;  // the recipient of mail cases, ${mailTo}
  bool keep = false;   // leave the projects (and tokens) a case creates on the server
};

struct CaseResult {
  std::string name;
  std::string transport;
  std::string spec;
  bool passed = false;
  std::string skipped;  // why the case did not run (then `passed` means nothing)
  int failedStep = -1;  // index of the failing step
  std::string failure;  // what was expected and what arrived
  std::chrono::milliseconds elapsed{0};
};

// `caseDoc` is one file of conformance/cases (see docs/conformance.md for the format).
CaseResult runCase(const rapidjson::Value& caseDoc, const std::string& transport, const RunSettings& settings);
// The result of a case that does not run here, and why (a requirement the run does not meet).
CaseResult skippedCase(const rapidjson::Value& caseDoc, const std::string& transport, std::string why);

}  // namespace wsconform
