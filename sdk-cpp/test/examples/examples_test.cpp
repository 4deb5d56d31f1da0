// The example programs explain a refused connection: chat and presence_watcher, run as a
// user runs them against a real wsd with a wrong token, an expired token and an unknown
// project, print the server's code and message and exit 1 (not a bare "1006").
// WSCLIENT_CHAT_BIN and WSCLIENT_PRESENCE_BIN name the built examples.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>

#include "wsd_server.h"

namespace wsclient::test {
namespace {

struct ProgramRun {
  int exitCode = -1;
  std::string output;
};

// Runs `command` with stdin empty (the chat must not wait for typing), at most 30 s.
ProgramRun run(const std::string& command) {
  ProgramRun result;
  FILE* pipe = popen(("timeout 30 " + command + " </dev/null 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.output += buffer.data();
  const int status = pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

long long pastMs() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count() - 60000;
}

// One way to be refused, and the line the examples must print for it.
struct Case {
  const char* name;
  const char* expected;  // "<code> (HTTP <status>)"
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

class Examples : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.start()) << server.error();
    tenant = makeTenant(server);
    ASSERT_FALSE(tenant.token.empty()) << server.error();
  }

  // The project and token of this case.
  std::pair<std::string, std::string> credentials() {
    const std::string name = GetParam().name;
    if (name == "WrongToken") return {tenant.project, "not-a-token"};
    if (name == "ExpiredToken") return {tenant.project, server.createToken(tenant.project, pastMs())};
    return {"no-such-project", tenant.token};
  }

  std::string url() const { return "ws://127.0.0.1:" + std::to_string(server.port()); }

  WsdServer server;
  Tenant tenant;
};

std::string refusal(const Case& c) { return std::string("refused by the server: ") + c.expected + ": "; }

TEST_P(Examples, ChatOverWebSocketPrintsTheServersCode) {
  const auto [project, token] = credentials();
  const ProgramRun chat = run(std::string(WSCLIENT_CHAT_BIN) + " " + url() + " " + project + " " + token + " alice ws");
  EXPECT_EQ(chat.exitCode, 1) << chat.output;
  EXPECT_NE(chat.output.find(refusal(GetParam())), std::string::npos) << chat.output;
}

TEST_P(Examples, ChatWithEveryTransportPrintsTheServersCode) {
  const auto [project, token] = credentials();
  const ProgramRun chat = run(std::string(WSCLIENT_CHAT_BIN) + " " + url() + " " + project + " " + token + " alice");
  EXPECT_EQ(chat.exitCode, 1) << chat.output;
  EXPECT_NE(chat.output.find(refusal(GetParam())), std::string::npos) << chat.output;
}

TEST_P(Examples, PresenceWatcherPrintsTheServersCode) {
  const auto [project, token] = credentials();
  const ProgramRun watcher =
      run(std::string(WSCLIENT_PRESENCE_BIN) + " " + url() + " " + project + " " + token + " 20");
  EXPECT_EQ(watcher.exitCode, 1) << watcher.output;
  EXPECT_NE(watcher.output.find(refusal(GetParam())), std::string::npos) << watcher.output;
}

INSTANTIATE_TEST_SUITE_P(Refusals, Examples,
                         ::testing::Values(Case{"WrongToken", "invalid_token (HTTP 401)"},
                                           Case{"ExpiredToken", "token_expired (HTTP 401)"},
                                           Case{"UnknownProject", "project_not_found (HTTP 404)"}),
                         [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace wsclient::test
