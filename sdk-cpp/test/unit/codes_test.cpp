// The code tables (include/wsclient/codes.h) against the server's own lists: the Errors
// table and close codes of docs/protocol.md, and the HTTP codes of
// schemas/http/error_response.json. A code added to the server and not to the SDK (or the
// other way round) fails here.
#include <gtest/gtest.h>
#include <wsclient/codes.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace wsclient {
namespace {

std::string readRepoFile(const std::string& path) {
  std::ifstream in(std::string(WSCLIENT_REPO_ROOT) + "/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string section(const std::string& doc, const std::string& heading) {
  const auto start = doc.find(heading);
  if (start == std::string::npos) return "";
  return doc.substr(start, doc.find("\n## ", start + 1) - start);
}

TEST(CodesTable, ProtocolErrorsMatchTheProtocolReference) {
  const std::string errors = section(readRepoFile("docs/protocol.md"), "## Errors");
  std::set<std::string> documented;
  const std::regex row(R"(\n\| `([a-z_]+)`(?: \*\(wsd\)\*)? \|)");  // wsd's own rows are marked
  for (std::sregex_iterator it(errors.begin(), errors.end(), row), end; it != end; ++it) documented.insert((*it)[1]);
  ASSERT_GE(documented.size(), 10U) << "could not read the Errors table";
  std::set<std::string> ours;
  for (const auto& info : kErrorCodes) {
    if (info.protocol) ours.insert(info.wire);
  }
  EXPECT_EQ(ours, documented);
}

TEST(CodesTable, HttpErrorsMatchTheErrorResponseSchema) {
  const std::string schema = readRepoFile("schemas/http/error_response.json");
  std::map<std::string, int> documented;
  const std::regex group(R"(((?:[a-z_]+, )*[a-z_]+) \((\d{3})\))");
  for (std::sregex_iterator it(schema.begin(), schema.end(), group), end; it != end; ++it) {
    std::stringstream names((*it)[1].str());
    for (std::string name; std::getline(names >> std::ws, name, ',');) documented[name] = std::stoi((*it)[2]);
  }
  ASSERT_GE(documented.size(), 15U) << "could not read the schema's code list";
  std::map<std::string, int> ours;
  for (const auto& info : kErrorCodes) {
    if (info.httpStatus != 0) ours[info.wire] = info.httpStatus;
  }
  EXPECT_EQ(ours, documented);
}

TEST(CodesTable, CloseCodesMatchTheProtocolReference) {
  const std::string doc = readRepoFile("docs/protocol.md");
  const auto start = doc.find("Close codes:");
  ASSERT_NE(start, std::string::npos);
  const std::string paragraph = doc.substr(start, doc.find("\n\n", start) - start);
  std::set<int> documented;
  const std::regex number(R"(\b([14]\d{3})\b)");
  for (std::sregex_iterator it(paragraph.begin(), paragraph.end(), number), end; it != end; ++it) {
    documented.insert(std::stoi((*it)[1]));
  }
  std::set<int> ours;
  for (const auto& info : kCloseCodes) {
    if (info.code != 1006) ours.insert(info.code);  // 1006 is local: never sent
  }
  EXPECT_EQ(ours, documented);
  const std::regex reason("`([a-z_]+)`");
  for (std::sregex_iterator it(paragraph.begin(), paragraph.end(), reason), end; it != end; ++it) {
    const std::string name = (*it)[1];
    bool known = false;
    for (const auto& info : kCloseCodes) {
      known = known || name == info.reason || std::string(info.meaning).find(name) != std::string::npos;
    }
    EXPECT_TRUE(known) << "close reason " << name << " is not in kCloseCodes";
  }
}

TEST(CodesTable, RowsFollowTheEnumAndLookupsRoundTrip) {
  for (std::size_t i = 0; i < std::size(kErrorCodes); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(kErrorCodes[i].code), i);
    if (!kErrorCodes[i].local) {
      EXPECT_EQ(errorCodeFromWire(kErrorCodes[i].wire), kErrorCodes[i].code);
    }
  }
  EXPECT_EQ(errorCodeFromWire("something_new"), ErrorCode::kUnknown);
  EXPECT_EQ(errorCodeFromWire("timeout"), ErrorCode::kUnknown);  // local names never come from the wire
  EXPECT_STREQ(wireName(ErrorCode::kNotBound), "not_bound");
}

TEST(CodesTable, OnlyRevocationExpiryDeletionAndKicksStopReconnecting) {
  EXPECT_FALSE(closeAllowsReconnect(4001, "kicked"));
  EXPECT_FALSE(closeAllowsReconnect(1008, "token_revoked"));
  EXPECT_FALSE(closeAllowsReconnect(1008, "token_expired"));
  EXPECT_FALSE(closeAllowsReconnect(1008, "project_deleted"));
  EXPECT_TRUE(closeAllowsReconnect(1008, "rate_limited"));
  EXPECT_TRUE(closeAllowsReconnect(1001, "node_declared_down"));
  EXPECT_TRUE(closeAllowsReconnect(4000, ""));
  EXPECT_TRUE(closeAllowsReconnect(4999, "anything"));
}

}  // namespace
}  // namespace wsclient
