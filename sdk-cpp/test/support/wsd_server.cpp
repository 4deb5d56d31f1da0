#include "wsd_server.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

extern char** environ;

namespace wsclient::test {
namespace {

using namespace std::chrono_literals;

std::string randomHex(std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (std::size_t i = 0; i < bytes * 2; ++i) out += kHex[device() % 16];
  return out;
}

struct HttpAnswer {
  long status = 0;
  std::string body;
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

HttpAnswer http(const std::string& method, const std::string& url, const std::string& body, const std::string& bearer) {
  HttpAnswer answer;
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, ("Authorization: Bearer " + bearer).c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return answer;
}

// The port of "listening on http://127.0.0.1:PORT" in `text`, or 0.
int listeningPort(const std::string& text) {
  static const std::string kListening = "listening on http://127.0.0.1:";
  const auto at = text.find(kListening);
  if (at == std::string::npos) return 0;
  const auto digits = at + kListening.size();
  const auto end = text.find_first_not_of("0123456789", digits);
  if (end == std::string::npos || end == digits) return 0;  // the line is not complete yet
  return std::stoi(text.substr(digits, end - digits));
}

}  // namespace

WsdServer::WsdServer(std::vector<std::string> extraArgs) : extraArgs_(std::move(extraArgs)) {
  dataDir_ = (std::filesystem::temp_directory_path() / ("wsclient-test-" + randomHex(6))).string();
  std::filesystem::create_directories(dataDir_);
  adminToken_ = randomHex(16);
}

WsdServer::~WsdServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dataDir_, ignored);
}

bool WsdServer::start() {
  const char* bin = std::getenv("WSD_BIN");
  if (bin == nullptr) {
    error_ = "WSD_BIN is not set (CMake sets it to the wsd target's file)";
    return false;
  }
  std::vector<std::string> args = {
      bin,         "all",        "--listen", "127.0.0.1:" + std::to_string(port_), "--admin-token",
      adminToken_, "--data-dir", dataDir_};
  args.insert(args.end(), extraArgs_.begin(), extraArgs_.end());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int pipeFds[2];
  if (pipe(pipeFds) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipeFds[0]);
  posix_spawn_file_actions_addclose(&actions, pipeFds[1]);
  const int spawned = posix_spawn(&pid_, bin, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipeFds[1]);
  if (spawned != 0) {
    close(pipeFds[0]);
    error_ = "cannot start " + std::string(bin);
    return false;
  }
  std::size_t from = 0;
  {
    std::lock_guard lock(mutex_);
    exited_ = false;
    from = log_.size();
  }
  reader_ = std::thread([this, fd = pipeFds[0]] { readStderr(fd); });
  return waitListening(from);
}

bool WsdServer::waitListening(std::size_t from) {
  std::unique_lock lock(mutex_);
  int port = 0;
  const bool up = changed_.wait_for(lock, 20s, [&] {
    port = listeningPort(log_.substr(from));
    return port != 0 || exited_;
  });
  if (!up || port == 0) {
    error_ = "wsd did not start:\n" + log_.substr(from);
    return false;
  }
  port_ = port;
  return true;
}

void WsdServer::readStderr(int fd) {
  char buffer[4096];
  for (ssize_t n = read(fd, buffer, sizeof buffer); n > 0; n = read(fd, buffer, sizeof buffer)) {
    std::lock_guard lock(mutex_);
    log_.append(buffer, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  exited_ = true;  // the pipe closes when the process is gone
  changed_.notify_all();
}

void WsdServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  {
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, 10s, [this] { return exited_; })) kill(pid_, SIGKILL);
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  if (reader_.joinable()) reader_.join();
}

std::string WsdServer::log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool WsdServer::createProject(const std::string& key) {
  const HttpAnswer answer = http("POST", url() + "/project", R"({"key":")" + key + R"(","name":"test"})", adminToken_);
  if (answer.status != 200) error_ = "POST /project: " + std::to_string(answer.status) + " " + answer.body;
  return answer.status == 200;
}

std::string WsdServer::createToken(const std::string& project) {
  return issueToken(R"({"projectKey":")" + project + R"("})");
}

std::string WsdServer::createToken(const std::string& project, long long expiresAtMs) {
  return issueToken(R"({"projectKey":")" + project + R"(","expiresAt":)" + std::to_string(expiresAtMs) + "}");
}

std::string WsdServer::issueToken(const std::string& requestJson) {
  const HttpAnswer answer = http("POST", url() + "/token", requestJson, adminToken_);
  rapidjson::Document doc;
  doc.Parse(answer.body.c_str());
  if (answer.status != 200 || !doc.IsObject() || !doc.HasMember("token") || !doc["token"].IsString()) {
    error_ = "POST /token: " + std::to_string(answer.status) + " " + answer.body;
    return "";
  }
  return doc["token"].GetString();
}

bool WsdServer::revokeToken(const std::string& project, const std::string& token) {
  return http("DELETE", url() + "/token?projectKey=" + project + "&token=" + token, "", adminToken_).status == 200;
}

bool WsdServer::updateProject(const std::string& key, const std::string& settingsJson) {
  const HttpAnswer answer =
      http("PATCH", url() + "/project", R"({"key":")" + key + R"(","settings":)" + settingsJson + "}", adminToken_);
  if (answer.status != 200) error_ = "PATCH /project: " + std::to_string(answer.status) + " " + answer.body;
  return answer.status == 200;
}

std::string WsdServer::rotateSecret(const std::string& key) {
  const HttpAnswer answer = http("POST", url() + "/project/secret", R"({"key":")" + key + R"("})", adminToken_);
  rapidjson::Document doc;
  doc.Parse(answer.body.c_str());
  if (answer.status != 200 || !doc.IsObject() || !doc.HasMember("secret") || !doc["secret"].IsString()) {
    error_ = "POST /project/secret: " + std::to_string(answer.status) + " " + answer.body;
    return "";
  }
  return doc["secret"].GetString();
}

Tenant makeTenant(WsdServer& server, const std::string& key) {
  if (!server.createProject(key)) return Tenant{key, ""};
  return Tenant{key, server.createToken(key)};
}

}  // namespace wsclient::test
