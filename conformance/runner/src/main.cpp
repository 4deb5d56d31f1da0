// wsconform: runs the conformance cases against any server that speaks the protocol
// (docs/conformance.md). `wsconform --help` lists the options.
#include <curl/curl.h>
#include <fnmatch.h>
#include <libwebsockets.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "http_client.h"
#include "report.h"

// Where the cases are when --cases is not given: next to the binary, in the install
// prefix, in the source tree it was built from (the build defines the last two).
#ifndef WSCONFORM_CASES_DIR
#define WSCONFORM_CASES_DIR "/usr/local/share/wsconform/cases"
#endif
#ifndef WSCONFORM_SOURCE_CASES_DIR
#define WSCONFORM_SOURCE_CASES_DIR ""
#endif

namespace {

struct Options {
  std::string url, adminToken, profile = "full", filter = "*", junit, json, casesDir;
  std::vector<std::string> transports = {"ws", "sse", "poll"};
  double timeoutScale = 1.0;
  int jobs = 4;
  // Cases that make the server send real mail need a server with a mail relay; one
  // without could not pass them, so they only run when asked for.
  bool withMail = false;
  std::string mailTo = "conformance@example.com";
  bool keep = false;  // leave what the cases create on the server
  bool help = false;
  bool printServerSettings = false;
};

// Server options (name without "--", value in seconds) that make cases quick.
using ServerSettings = std::map<std::string, double>;

struct Job {
  std::shared_ptr<rapidjson::Document> doc;
  std::string transport;
  std::string skipped;            // why it does not run, if it does not
  ServerSettings serverSettings;  // what the case waits out; such cases start first, longest first
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

constexpr const char* kUsage =
    "usage: wsconform --url http://HOST:PORT --admin-token TOKEN [options]\n"
    "Runs the conformance cases against a server and reports each as PASS, FAIL or SKIP.\n"
    "\n"
    "  --url URL            the server's base URL (WebSocket uses the same host and port)\n"
    "  --admin-token TOKEN  the bearer token of its admin API (each case creates a project)\n"
    "  --profile seed|full  seed: the base protocol every server must speak; full: also\n"
    "                       the additions marked (wsd) in docs/protocol.md (default full)\n"
    "  --transport LIST     comma-separated subset of ws,sse,poll (default all three)\n"
    "  --filter GLOB        only cases whose name matches, e.g. 'seed/*' (default *)\n"
    "  --cases DIR          the case files (default: found next to the binary, in the\n"
    "                       install prefix or in the source tree)\n"
    "  --jobs N             cases run in parallel (default 4)\n"
    "  --timeout-scale X    multiply every wait, for a slow server or network (default 1)\n"
    "  --junit FILE, --json FILE  machine-readable reports\n"
    "  --with-mail          also run the cases that make the server send real mail\n"
    "  --mail-to ADDRESS    the recipient of those mails (default conformance@example.com)\n"
    "  --keep               leave the projects and tokens the cases create (default: deleted)\n"
    "  --server-settings    print the server options with which the selected cases finish\n"
    "                       quickly (they pass with the defaults too, only slower), and exit\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit code: 0 every case that ran passed, 1 a case failed, 2 a bad command line or case,\n"
    "or a server that does not answer at all.\n";

int usage(const std::string& problem) {
  std::fprintf(stderr, "wsconform: %s\n%s", problem.c_str(), kUsage);
  return 2;
}

std::string formatSeconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  return text;
}

// `text` as a number of at least `least`; -1 when it is not one.
double number(const std::string& text, double least) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value >= least) || value > 1e6) return -1;
  return value;
}

bool parse(int argc, char** argv, Options& o, std::string& problem) {
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--with-mail" || flag == "--keep" || flag == "--server-settings" || flag == "--help" || flag == "-h") {
      bool& target = flag == "--with-mail"         ? o.withMail
                     : flag == "--keep"            ? o.keep
                     : flag == "--server-settings" ? o.printServerSettings
                                                   : o.help;
      target = true;
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
      o.timeoutScale = number(value, 0.01);
    else if (flag == "--jobs")
      o.jobs = static_cast<int>(number(value, 1));
    else if (flag == "--cases")
      o.casesDir = value;
    else if (flag == "--mail-to")
      o.mailTo = value;
    else
      return problem = "unknown option " + flag, false;
    if (o.timeoutScale < 0 || o.jobs < 0) return problem = flag + " needs a positive number, not " + value, false;
    if (o.jobs > 256) return problem = "--jobs is at most 256", false;
  }
  if (o.help || o.printServerSettings) return true;
  if (o.url.empty() || o.adminToken.empty()) return problem = "--url and --admin-token are required", false;
  if (o.profile != "seed" && o.profile != "full") return problem = "--profile is seed or full", false;
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  return true;
}

// The directory of the running binary, for cases installed beside it.
std::filesystem::path executableDir() {
  std::error_code error;
  auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::path() : self.parent_path();
}

// The cases directory: --cases, else the first of the usual places that exists.
std::optional<std::filesystem::path> findCases(const Options& o, std::string& problem) {
  std::error_code error;
  if (!o.casesDir.empty()) {
    if (std::filesystem::is_directory(o.casesDir, error)) return o.casesDir;
    problem = "--cases " + o.casesDir + ": no such directory";
    return std::nullopt;
  }
  const auto self = executableDir();
  std::vector<std::filesystem::path> places;
  if (!self.empty()) places = {self / "cases", self / ".." / "share" / "wsconform" / "cases"};
  places.emplace_back(WSCONFORM_CASES_DIR);
  if (!std::string(WSCONFORM_SOURCE_CASES_DIR).empty()) places.emplace_back(WSCONFORM_SOURCE_CASES_DIR);
  std::string looked;
  for (const auto& place : places) {
    if (std::filesystem::is_directory(place, error)) return place.lexically_normal();
    looked += (looked.empty() ? "" : ", ") + place.lexically_normal().string();
  }
  problem = "no case files found (looked in " + looked + "); name their directory with --cases DIR";
  return std::nullopt;
}

// A case's "serverSettings": {"poll-session-timeout": 2, ...}, server options in seconds.
bool readServerSettings(const rapidjson::Value& doc, ServerSettings& into, std::string& problem) {
  auto it = doc.FindMember("serverSettings");
  if (it == doc.MemberEnd()) return true;
  if (!it->value.IsObject()) return problem = "serverSettings is not an object", false;
  for (const auto& m : it->value.GetObject()) {
    if (!m.value.IsNumber())
      return problem = std::string("serverSettings.") + m.name.GetString() + " is not a number", false;
    into[m.name.GetString()] = m.value.GetDouble();
  }
  return true;
}

// Every case file of the chosen profile that the filter selects, once per transport.
std::vector<Job> loadJobs(const Options& o, std::string& problem) {
  auto dir = findCases(o, problem);
  if (!dir) return {};
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(*dir, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".json") files.push_back(it->path());
  }
  if (error) {
    problem = "cannot read the cases in " + dir->string() + ": " + error.message();
    return {};
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
    ServerSettings settings;
    if (!readServerSettings(*doc, settings, problem)) {
      problem = file.string() + ": " + problem;
      return {};
    }
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
        jobs.push_back({doc, t, skipped, settings});
    }
  }
  return jobs;
}

// The longest `within` of a case that declares serverSettings (what it may wait out); 0
// for the others.
long longestWait(const Job& job) {
  if (job.serverSettings.empty()) return 0;
  long longest = 0;
  for (const auto& step : (*job.doc)["steps"].GetArray()) {
    auto within = step.FindMember("within");
    if (within != step.MemberEnd() && within->value.IsNumber())
      longest = std::max(longest, static_cast<long>(within->value.GetDouble()));
  }
  return longest;
}

// What every selected case declares, each option at the smallest value any case asks for.
void printServerSettings(const std::vector<Job>& jobs) {
  ServerSettings all;
  for (const auto& job : jobs) {
    for (const auto& [option, seconds] : job.serverSettings) {
      auto [it, added] = all.emplace(option, seconds);
      if (!added) it->second = std::min(it->second, seconds);
    }
  }
  std::string line;
  for (const auto& [option, seconds] : all)
    line += (line.empty() ? "--" : " --") + option + " " + formatSeconds(seconds);
  std::puts(line.c_str());
}

// A server that does not answer at all would fail every case the same way: say it once.
// Any HTTP answer, whatever its status, shows that the server is there.
std::optional<std::string> unreachable(const Options& o) {
  const auto timeout = std::chrono::milliseconds(static_cast<long>(10000 * o.timeoutScale));
  auto answer = wsconform::httpRequest("GET", o.url + "/", "", {}, timeout);
  if (answer.status != 0) return std::nullopt;
  return "cannot reach " + o.url + " (" + answer.error + "); is the server running, and is --url right?";
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  std::string problem;
  if (!parse(argc, argv, options, problem)) return usage(problem);
  if (options.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto jobs = loadJobs(options, problem);
  if (!problem.empty()) return usage(problem);
  if (jobs.empty()) return usage("no case matches");
  if (options.printServerSettings) {
    printServerSettings(jobs);
    return 0;
  }
  // A case that waits out a server timeout takes longest against a server left with its
  // defaults: started first, it runs beside the others instead of after them.
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const Job& a, const Job& b) { return longestWait(a) > longestWait(b); });

  curl_global_init(CURL_GLOBAL_DEFAULT);
  if (auto problem = unreachable(options)) {
    std::fprintf(stderr, "wsconform: %s\n", problem->c_str());
    curl_global_cleanup();
    return 2;
  }
  lws_set_log_level(LLL_ERR, nullptr);
  auto schemas = wsd::SchemaRegistry::compile(wsd::embeddedSchemas());
  wsconform::RunSettings settings{options.url,          options.adminToken,
                                  options.timeoutScale, schemas.ok() ? schemas->get() : nullptr,
                                  options.mailTo,       options.keep};

  const auto started = std::chrono::steady_clock::now();
  std::vector<wsconform::CaseResult> results(jobs.size());
  std::atomic<std::size_t> nextJob{0};
  std::mutex printing;
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(options.jobs));
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

  wsconform::printSummary(
      results, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started),
      options.jobs);
  if (!options.junit.empty() && !wsconform::writeJunit(results, options.junit))
    return usage("cannot write --junit file");
  if (!options.json.empty() && !wsconform::writeJson(results, options.json)) return usage("cannot write --json file");
  curl_global_cleanup();
  for (const auto& r : results) {
    if (!r.passed && r.skipped.empty()) return 1;
  }
  return 0;
}
