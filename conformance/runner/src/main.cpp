// wsconform: runs the conformance cases against any server that speaks the protocol.
//   wsconform --url http://HOST:PORT --admin-token T [--profile seed|full]
//             [--transport ws,sse,poll] [--filter GLOB] [--junit FILE] [--json FILE]
//             [--timeout-scale X] [--jobs N] [--cases DIR] [--with-mail] [--mail-to ADDRESS]
#include <curl/curl.h>
#include <fnmatch.h>
#include <libwebsockets.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "report.h"

#ifndef WSCONFORM_CASES_DIR
#define WSCONFORM_CASES_DIR "cases"
#endif

namespace {

struct Options {
  std::string url, adminToken, profile = "full", filter = "*", junit, json, casesDir = WSCONFORM_CASES_DIR;
  std::vector<std::string> transports = {"ws", "sse", "poll"};
  double timeoutScale = 1.0;
  int jobs = 4;
  // Cases that make the server send real mail need a server with a mail relay; one
  // without could not pass them, so they only run when asked for.
  bool withMail = false;
  std::string mailTo = "conformance@example.com";
};

struct Job {
  std::shared_ptr<rapidjson::Document> doc;
  std::string transport;
  std::string skipped;  // why it does not run, if it does not
};

// What a case's "requires" may name.
bool knownRequirement(const std::string& requirement) { return requirement == "mail-relay"; }

// Why this run does not meet `requirement`, if it does not.
std::optional<std::string> unmetRequirement(const std::string& requirement, const Options& o) {
  if (requirement == "mail-relay" && !o.withMail) return "needs a server with a mail relay: run with --with-mail";
  return std::nullopt;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

int usage(const char* problem) {
  std::fprintf(stderr,
               "wsconform: %s\nusage: wsconform --url http://HOST:PORT --admin-token TOKEN [--profile seed|full]\n"
               "       [--transport ws,sse,poll] [--filter GLOB] [--junit FILE] [--json FILE]\n"
               "       [--timeout-scale X] [--jobs N] [--cases DIR] [--with-mail] [--mail-to ADDRESS]\n",
               problem);
  return 2;
}

bool parse(int argc, char** argv, Options& o, std::string& problem) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--with-mail") {
      o.withMail = true;
      continue;
    }
    if (i + 1 >= argc) return problem = flag + " needs a value", false;
    std::string value = argv[++i];
    if (flag == "--url")
      o.url = value;
    else if (flag == "--admin-token")
      o.adminToken = value;
    else if (flag == "--profile")
      o.profile = value;
    else if (flag == "--transport")
      o.transports = split(value);
    else if (flag == "--filter")
      o.filter = value;
    else if (flag == "--junit")
      o.junit = value;
    else if (flag == "--json")
      o.json = value;
    else if (flag == "--timeout-scale")
      o.timeoutScale = std::stod(value);
    else if (flag == "--jobs")
      o.jobs = std::max(1, std::stoi(value));
    else if (flag == "--cases")
      o.casesDir = value;
    else if (flag == "--mail-to")
      o.mailTo = value;
    else
      return problem = "unknown option " + flag, false;
  }
  if (o.url.empty() || o.adminToken.empty()) return problem = "--url and --admin-token are required", false;
  if (o.profile != "seed" && o.profile != "full") return problem = "--profile is seed or full", false;
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  return true;
}

// Every case file of the chosen profile that the filter selects, once per transport.
std::vector<Job> loadJobs(const Options& o, std::string& problem) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(o.casesDir)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Job> jobs;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto doc = std::make_shared<rapidjson::Document>();
    doc->Parse(text.str().c_str());
    if (!doc->IsObject() || !doc->HasMember("name") || !doc->HasMember("steps")) {
      problem = file.string() + " is not a case (needs name and steps)";
      return {};
    }
    const std::string name = (*doc)["name"].GetString();
    const std::string profile = doc->HasMember("profile") ? (*doc)["profile"].GetString() : "full";
    if (o.profile == "seed" && profile != "seed") continue;
    if (fnmatch(o.filter.c_str(), name.c_str(), 0) != 0) continue;
    std::vector<std::string> transports = {"ws", "sse", "poll"};
    if (doc->HasMember("transports")) {
      transports.clear();
      for (const auto& t : (*doc)["transports"].GetArray()) transports.emplace_back(t.GetString());
    }
    std::string skipped;
    if (doc->HasMember("requires")) {
      for (const auto& r : (*doc)["requires"].GetArray()) {
        if (!knownRequirement(r.GetString())) {
          problem = file.string() + " requires \"" + r.GetString() + "\", which this wsconform does not know";
          return {};
        }
        auto unmet = unmetRequirement(r.GetString(), o);
        if (unmet && skipped.empty()) skipped = *unmet;
      }
    }
    for (const auto& t : transports) {
      if (std::find(o.transports.begin(), o.transports.end(), t) != o.transports.end())
        jobs.push_back({doc, t, skipped});
    }
  }
  return jobs;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string problem;
  if (!parse(argc, argv, options, problem)) return usage(problem.c_str());
  auto jobs = loadJobs(options, problem);
  if (!problem.empty()) return usage(problem.c_str());
  if (jobs.empty()) return usage("no case matches");

  curl_global_init(CURL_GLOBAL_DEFAULT);
  lws_set_log_level(LLL_ERR, nullptr);
  auto schemas = wsd::SchemaRegistry::compile(wsd::embeddedSchemas());
  wsconform::RunSettings settings{options.url, options.adminToken, options.timeoutScale,
                                  schemas.ok() ? schemas->get() : nullptr, options.mailTo};

  std::vector<wsconform::CaseResult> results(jobs.size());
  std::atomic<std::size_t> nextJob{0};
  std::mutex printing;
  std::vector<std::thread> workers;
  for (int w = 0; w < options.jobs; ++w) {
    workers.emplace_back([&] {
      for (std::size_t i = nextJob++; i < jobs.size(); i = nextJob++) {
        results[i] = jobs[i].skipped.empty() ? wsconform::runCase(*jobs[i].doc, jobs[i].transport, settings)
                                             : wsconform::skippedCase(*jobs[i].doc, jobs[i].transport, jobs[i].skipped);
        std::lock_guard lock(printing);
        wsconform::printResult(results[i]);
      }
    });
  }
  for (auto& w : workers) w.join();

  wsconform::printSummary(results);
  if (!options.junit.empty() && !wsconform::writeJunit(results, options.junit))
    return usage("cannot write --junit file");
  if (!options.json.empty() && !wsconform::writeJson(results, options.json)) return usage("cannot write --json file");
  curl_global_cleanup();
  for (const auto& r : results) {
    if (!r.passed && r.skipped.empty()) return 1;
  }
  return 0;
}
