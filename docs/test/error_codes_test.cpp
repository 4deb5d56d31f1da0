// docs/protocol.md ("Errors") and schemas/ against the server's table of client-visible
// codes (server/src/core/error_codes.h): each of the three lists exactly the table's
// codes, so a code added to the server and not documented, or documented and not in
// the table, fails here.
#include "core/error_codes.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace wsd::error_codes {
namespace {

std::string readRepoFile(const std::string& path) {
  std::ifstream in(std::string(WSD_REPO_ROOT) + "/" + path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text under `heading` up to the next heading of its level or above.
std::string section(const std::string& doc, const std::string& heading) {
  const auto start = doc.find("\n" + heading + "\n");
  if (start == std::string::npos) return "";
  const std::string level = heading.substr(0, heading.find(' '));  // "##", "###"
  auto end = doc.find("\n" + level + " ", start + 1);
  for (std::string upper = level.substr(1); !upper.empty(); upper.pop_back()) {
    end = std::min(end, doc.find("\n" + upper + " ", start + 1));
  }
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string errorsSubsection(const std::string& heading) {
  return section(section(readRepoFile("docs/protocol.md"), "## Errors"), heading);
}

// Every match of `row` in `text`: its first group, and its second when it has one.
std::vector<std::pair<std::string, std::string>> rows(const std::string& text, const std::regex& row) {
  std::vector<std::pair<std::string, std::string>> found;
  for (std::sregex_iterator it(text.begin(), text.end(), row), end; it != end; ++it) {
    found.emplace_back((*it)[1], it->size() > 2 ? (*it)[2].str() : "");
  }
  return found;
}

std::set<std::string> codesOn(Surface surface) {
  std::set<std::string> codes;
  for (const auto& code : kAll) {
    if ((code.surfaces & surface) != 0) codes.insert(code.name);
  }
  return codes;
}

// The strings of `schema`'s properties.<property>.<list>.
std::set<std::string> schemaList(const std::string& schema, const char* property, const char* list) {
  rapidjson::Document doc;
  doc.Parse(readRepoFile(schema).c_str());
  EXPECT_FALSE(doc.HasParseError()) << schema;
  std::set<std::string> values;
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("properties")) return values;
  const auto& properties = doc["properties"];
  if (!properties.HasMember(property) || !properties[property].HasMember(list)) return values;
  for (const auto& value : properties[property][list].GetArray()) values.insert(value.GetString());
  return values;
}

TEST(ErrorCodesDocumented, TheErrorMessagesTableListsEveryErrorMessageCode) {
  const auto table = errorsSubsection("### Error messages");
  std::set<std::string> documented;
  for (const auto& [name, unused] : rows(table, std::regex(R"(\n\| `([a-z_0-9]+)`(?: \*\(wsd\)\*)? \|)"))) {
    EXPECT_TRUE(documented.insert(name).second) << name << " is documented twice";
  }
  EXPECT_EQ(documented, codesOn(kErrorMessage));
}

TEST(ErrorCodesDocumented, TheHttpErrorsTableListsEveryHttpCodeWithItsStatuses) {
  const auto table = errorsSubsection("### HTTP errors");
  std::map<std::string, std::set<int>> documented;
  const std::regex row(R"(\n\| ([0-9, ]+) \| `([a-z_0-9]+)`(?: \*\(wsd\)\*)? \|)");
  for (const auto& [statuses, name] : rows(table, row)) {
    EXPECT_FALSE(documented.contains(name)) << name << " is documented twice";
    for (const auto& [status, unused] : rows(statuses, std::regex(R"((\d{3}))")))
      documented[name].insert(std::stoi(status));
  }
  std::map<std::string, std::set<int>> ours;
  for (const auto& code : kAll) {
    for (const int status : code.httpStatuses) {
      if (status != 0) ours[code.name].insert(status);
    }
  }
  EXPECT_EQ(documented, ours);
}

TEST(ErrorCodesDocumented, TheCloseCodesTableListsEveryCloseReasonWithItsCode) {
  const auto table = errorsSubsection("### Close codes");
  std::map<std::string, int> documented;
  const std::regex row(R"(\n\| (\d{4}) \| `([a-z_0-9]+)`(?: \*\(wsd\)\*)? \|)");
  for (const auto& [code, name] : rows(table, row)) {
    EXPECT_TRUE(documented.emplace(name, std::stoi(code)).second) << name << " is documented twice";
  }
  std::map<std::string, int> ours;
  for (const auto& code : kAll) {
    if (code.closeCode != 0) ours[code.name] = code.closeCode;
  }
  EXPECT_EQ(documented, ours);
}

TEST(ErrorCodesDocumented, TheErrorMessageSchemaGivesTheErrorMessageCodesAsExamples) {
  EXPECT_EQ(schemaList("schemas/server/error.json", "code", "examples"), codesOn(kErrorMessage));
}

TEST(ErrorCodesDocumented, TheHttpErrorSchemaGivesTheHttpCodesAsExamples) {
  EXPECT_EQ(schemaList("schemas/http/error_response.json", "code", "examples"), codesOn(kHttpError));
}

TEST(ErrorCodesDocumented, TheClosedSchemaGivesTheCloseReasonsAsExamples) {
  EXPECT_EQ(schemaList("schemas/server/closed.json", "reason", "examples"), codesOn(kCloseReason));
}

}  // namespace
}  // namespace wsd::error_codes
