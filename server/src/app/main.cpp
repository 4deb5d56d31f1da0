// wsd's entry point: reads the configuration, then hands over to the role it names.
#include <curl/curl.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/backend_wait.h"
#include "app/config.h"
#include "app/log_command.h"
#include "app/node.h"
#include "logging/logger.h"

namespace {

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = wsd::parseConfig(args);
  if (!config.ok()) {
    wsd::logging::error(config.error().message);
    return wsd::kExitConfigMustChange;
  }
  wsd::logging::configure(wsd::logging::levelNamed(config->logLevel), wsd::logging::formatNamed(config->logFormat));
  for (const auto* secret : {&config->adminToken, &config->smtpPassword, &config->mailHttpKey, &config->chainKey}) {
    wsd::logging::addSecret(*secret);
  }
  if (config->showHelp) {
    std::fputs(wsd::helpText().c_str(), stdout);
    return 0;
  }
  if (config->showVersion) {
    std::puts(wsd::versionString());
    return 0;
  }
  if (config->role == wsd::Role::kConfigPrint) {
    std::fputs(wsd::configPrintText(*config).c_str(), stdout);
    return 0;
  }
  if (config->role == wsd::Role::kConfigExample) {
    std::fputs(wsd::configExampleText().c_str(), stdout);
    return 0;
  }
  // The roles that need Kafka or Redis start once those answer (or exit 1 after --backend-wait).
  if (config->role != wsd::Role::kLogRepair && !wsd::waitForBackends(*config)) return 1;
  switch (config->role) {
    case wsd::Role::kAll:
    case wsd::Role::kServe: return wsd::runNode(*config);
    case wsd::Role::kProject: return wsd::runProjector(*config);
    case wsd::Role::kMail: return wsd::runMailer(*config);
    case wsd::Role::kHooks: return wsd::runHooks(*config);
    case wsd::Role::kLogRepair: return wsd::runLogRepair(*config);
    case wsd::Role::kConfigPrint:
    case wsd::Role::kConfigExample: return 0;  // answered above
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread starts: libcurl's global state (the mailer's relays use it).
  curl_global_init(CURL_GLOBAL_DEFAULT);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {  // out of memory and the like: say so, do not abort silently
    wsd::logging::error(std::string("fatal: ") + e.what());
    return 1;
  }
}
