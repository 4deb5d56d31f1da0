// wsbench: a load generator for wsd (and any server of its protocol). See --help.
#include <arpa/inet.h>
#include <sys/resource.h>

#include <cstdio>
#include <string>
#include <vector>

#include "http_call.h"
#include "options.h"
#include "report.h"
#include "scenarios.h"

namespace {

using namespace wsbench;

// Every connection is a descriptor: take all the process may have.
void raiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

bool resolve(const std::string& url, ServerAddress& server, std::string& error) {
  std::string hostPort = url.substr(7);  // after http://
  hostPort = hostPort.substr(0, hostPort.find('/'));
  const auto colon = hostPort.rfind(':');
  const std::string host = colon == std::string::npos ? hostPort : hostPort.substr(0, colon);
  const int port = colon == std::string::npos ? 80 : std::atoi(hostPort.c_str() + colon + 1);
  server.address.sin_family = AF_INET;
  server.address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &server.address.sin_addr) != 1) {
    error = "the URL must name an IPv4 address (a loopback run): " + url;
    return false;
  }
  server.host = hostPort;
  return true;
}

// A project and a never-expiring token of the run's own, through the admin API.
bool makeProject(const ServerAddress& server, const std::string& adminToken, std::string& project, std::string& token,
                 std::string& error) {
  project = "wsbench-" + std::to_string(::getpid()) + "-" + std::to_string(time(nullptr));
  auto created = httpCall(server.address, server.host, "POST", "/project", R"({"key":")" + project + "\"}", adminToken);
  if (created.status != 200) {
    error = "creating the project: " + std::to_string(created.status) + " " + created.body + created.error;
    return false;
  }
  auto issued = httpCall(server.address, server.host, "POST", "/token",
                         R"({"projectKey":")" + project + R"(","expiresAt":null})", adminToken);
  token = jsonString(issued.body, "token");
  if (issued.status != 200 || token.empty()) {
    error = "issuing a token: " + std::to_string(issued.status) + " " + issued.body + issued.error;
    return false;
  }
  return true;
}

int run(const std::vector<std::string>& args) {
  std::string error;
  auto options = parseOptions(args, error);
  if (!options) {
    std::fprintf(stderr, "wsbench: %s\n", error.c_str());
    return 2;
  }
  if (options->help) {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  raiseFileLimit();
  RunContext context{*options, {}, options->project, options->token};
  if (!resolve(options->url, context.server, error) ||
      (context.project.empty() &&
       !makeProject(context.server, options->adminToken, context.project, context.token, error))) {
    std::fprintf(stderr, "wsbench: %s\n", error.c_str());
    return 2;
  }
  const RunResult result = runScenario(context);
  const std::string report = options->json ? jsonReport(*options, result) : textReport(*options, result);
  std::fputs(report.c_str(), stdout);
  const bool complete = result.setupErrors == 0 && result.protocolErrors == 0 && result.received >= result.expected;
  return complete ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) { return run(std::vector<std::string>(argv + 1, argv + argc)); }
