// Expected-message patterns of the conformance cases. A pattern is JSON; it matches a
// value when:
//  - objects: every key of the pattern matches the value's key (extra keys are fine);
//    the pattern value "$absent" requires the key to be missing;
//  - arrays: same length, each element matching in order;
//  - strings: "$any" matches anything, "$string" / "$number" / "$bool" / "$object" /
//    "$array" match by type, "${name}" is replaced by a variable first;
//  - anything else: equal.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wsconform {

using Variables = std::map<std::string, std::string>;

// nullopt when `actual` matches; otherwise where and why it does not (e.g. "/to: expected
// \"bob\", got \"carol\"").
std::optional<std::string> patternMismatch(const rapidjson::Value& pattern, const rapidjson::Value& actual,
                                           const Variables& vars, const std::string& path = "");

// Every place where `actual` does not match `pattern`, one line each; empty when it
// matches. The count ranks candidates for a failure report (the closest has fewest).
std::vector<std::string> patternMismatches(const rapidjson::Value& pattern, const rapidjson::Value& actual,
                                           const Variables& vars);

// Replaces "${name}" inside every string of `value` (in place).
void substitute(rapidjson::Value& value, rapidjson::Document::AllocatorType& alloc, const Variables& vars);
std::string substitute(const std::string& text, const Variables& vars);

}  // namespace wsconform
