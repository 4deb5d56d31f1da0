// docs/sdk-cpp.md against the public headers: every option, every Client call and every
// handler is in the reference, so the doc cannot silently fall behind the API.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

namespace wsclient {
namespace {

std::string readRepoFile(const std::string& path) {
  std::ifstream in(std::string(WSCLIENT_REPO_ROOT) + "/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The text between "struct NAME {" and the next "};" of `header`.
std::string structBody(const std::string& header, const std::string& name) {
  const auto start = header.find("struct " + name + " {");
  if (start == std::string::npos) return "";
  return header.substr(start, header.find("\n};", start) - start);
}

std::vector<std::string> matches(const std::string& text, const std::regex& pattern) {
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

const std::regex kField(R"(\n  [A-Za-z_:<>, ]+ (\w+)(?:\{|;| =))");

class SdkDoc : public ::testing::Test {
 protected:
  std::string doc = readRepoFile("docs/sdk-cpp.md");
  std::string types = readRepoFile("sdk-cpp/include/wsclient/types.h");
};

TEST_F(SdkDoc, ListsEveryOption) {
  const auto options = matches(structBody(types, "Options"), kField);
  ASSERT_GE(options.size(), 10U);
  for (const auto& field : options) {
    if (field == "reconnect" || field == "heartbeat") continue;  // their fields, below
    EXPECT_NE(doc.find("`" + field + "`"), std::string::npos) << field;
  }
  for (const std::string group : {"reconnect", "heartbeat"}) {
    const std::string name = group == "reconnect" ? "ReconnectOptions" : "HeartbeatOptions";
    const auto fields = matches(structBody(types, name), kField);
    ASSERT_FALSE(fields.empty()) << name;
    for (const auto& field : fields) {
      EXPECT_NE(doc.find("`" + group + "." + field + "`"), std::string::npos) << group << "." << field;
    }
  }
}

TEST_F(SdkDoc, ListsEveryHandler) {
  const auto handlers = matches(structBody(types, "Handlers"), std::regex(R"(std::function<.*> (\w+);)"));
  ASSERT_GE(handlers.size(), 15U);
  for (const auto& handler : handlers) EXPECT_NE(doc.find("`" + handler + "`"), std::string::npos) << handler;
}

TEST_F(SdkDoc, ListsEveryClientCall) {
  const std::string client = readRepoFile("sdk-cpp/include/wsclient/client.h");
  const auto calls = matches(client, std::regex(R"(\n  [A-Za-z_:<>]+ (\w+)\()"));
  ASSERT_GE(calls.size(), 15U);
  for (const auto& call : calls) EXPECT_NE(doc.find("`" + call + "("), std::string::npos) << call;
}

}  // namespace
}  // namespace wsclient
