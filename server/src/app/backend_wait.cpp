#include "app/backend_wait.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "app/config_units.h"
#include "core/error_codes.h"
#include "core/json.h"
#include "log/kafka_probe.h"
#include "logging/logger.h"
#include "store/redis_probe.h"

namespace wsd {
namespace {

// One attempt's bound, and the pause between attempts: "every few seconds".
constexpr int kAttemptTimeoutMs = 1000;
constexpr auto kRetryPause = std::chrono::seconds(2);

struct Backend {
  std::string name;                      // as /readyz names it: kafka, redis
  std::function<std::string()> problem;  // "" when it answers
};

// The backends `config`'s role needs; an error when one cannot even be described.
Result<std::vector<Backend>> backendsOf(const Config& config) {
  std::vector<Backend> out;
  if (!config.kafkaBrokers.empty() && config.role != Role::kLogRepair) {
    log::KafkaOptions options;
    options.brokers = config.kafkaBrokers;
    options.producerOverrides = config.kafkaProducerConfig;
    auto probe = log::KafkaProbe::create(options);
    if (!probe.ok()) return probe.error();
    std::shared_ptr<log::KafkaProbe> shared(std::move(probe.value()));
    out.push_back({"kafka", [shared] { return shared->problem(kAttemptTimeoutMs); }});
  }
  if (!config.redisUrl.empty()) {
    auto address = store::parseRedisUrl(config.redisUrl);
    if (!address.ok()) return address.error();
    out.push_back({"redis", [a = *address] { return store::redisProblem(a, kAttemptTimeoutMs); }});
  }
  return out;
}

// name -> problem, for every backend that does not answer now.
std::vector<std::pair<std::string, std::string>> problems(const std::vector<Backend>& backends) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& b : backends) {
    if (auto p = b.problem(); !p.empty()) out.emplace_back(b.name, std::move(p));
  }
  return out;
}

// ---- The stand-in for /readyz while the gateway cannot start yet ----

// Answers /healthz 200 and everything else 503 not_ready, naming the backends that do
// not answer, on its own thread and libevent loop (evhttp).
class ReadinessStandIn {
 public:
  ~ReadinessStandIn() { stop(); }

  Result<int> start(const std::string& host, int port) {
    evthread_use_pthreads();  // stop() breaks the loop from the main thread
    base_ = event_base_new();
    http_ = evhttp_new(base_);
    evhttp_set_gencb(http_, &ReadinessStandIn::onRequest, this);
    evhttp_bound_socket* bound = evhttp_bind_socket_with_handle(http_, host.c_str(), static_cast<ev_uint16_t>(port));
    if (bound == nullptr) return makeError("listen", "cannot listen on " + host + ":" + std::to_string(port));
    sockaddr_storage address{};
    socklen_t length = sizeof(address);
    getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&address), &length);
    const int boundPort = ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&address)->sin6_port
                                                              : reinterpret_cast<sockaddr_in*>(&address)->sin_port);
    thread_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "wsd-standin");  // until the backends answer
      event_base_dispatch(base_);
    });
    return boundPort;
  }

  void report(std::vector<std::pair<std::string, std::string>> failing) {
    std::lock_guard lock(mutex_);
    failing_ = std::move(failing);
  }

  // Closes the socket, so that the gateway can listen on the same port.
  void stop() {
    if (base_ == nullptr) return;
    event_base_loopbreak(base_);
    if (thread_.joinable()) thread_.join();
    evhttp_free(http_);
    event_base_free(base_);
    base_ = nullptr;
  }

 private:
  // Locality: the stand-in's thread.
  static void onRequest(evhttp_request* request, void* self) {
    const char* path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(request));
    const bool live = path != nullptr && std::string_view(path) == "/healthz";
    const std::string body = live ? R"({"status":"ok"})" : static_cast<ReadinessStandIn*>(self)->notReadyBody();
    evbuffer* out = evbuffer_new();
    evbuffer_add(out, body.data(), body.size());
    evhttp_add_header(evhttp_request_get_output_headers(request), "Content-Type", "application/json");
    evhttp_send_reply(request, live ? 200 : 503, live ? "OK" : "Service Unavailable", out);
    evbuffer_free(out);
  }

  // The shape of the gateway's own /readyz (gateway/routes/health_routes.cpp).
  std::string notReadyBody() {
    std::lock_guard lock(mutex_);
    std::string msg;
    for (const auto& [name, problem] : failing_) msg += (msg.empty() ? "" : "; ") + name + ": " + problem;
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    json::field(w, "status", "error");
    json::field(w, "code", error_codes::kNotReady.name);
    json::field(w, "msg", msg.empty() ? "starting" : msg);
    json::key(w, "checks");
    w.StartObject();
    json::field(w, "log", "not open yet: waiting for the backends");
    for (const auto& [name, problem] : failing_) json::field(w, name, problem);
    w.EndObject();
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
  }

  event_base* base_ = nullptr;
  evhttp* http_ = nullptr;
  std::thread thread_;
  std::mutex mutex_;  // guards failing_ (written by the main thread, read by the stand-in's)
  std::vector<std::pair<std::string, std::string>> failing_;
};

std::string describe(const std::vector<std::pair<std::string, std::string>>& failing) {
  std::string out;
  for (const auto& [name, problem] : failing) out += (out.empty() ? "" : "; ") + name + " unreachable: " + problem;
  return out;
}

bool servesHttp(Role role) { return role == Role::kAll || role == Role::kServe; }

}  // namespace

bool waitForBackends(Config& config) {
  const auto started = std::chrono::steady_clock::now();
  auto backends = backendsOf(config);
  if (!backends.ok()) {
    logging::error(backends.error().message);
    return false;
  }
  auto failing = problems(*backends);
  if (failing.empty()) return true;

  ReadinessStandIn standIn;
  standIn.report(failing);
  if (servesHttp(config.role)) {
    auto port = standIn.start(config.listenHost, config.listenPort);
    if (!port.ok()) {
      logging::error(port.error().message);
      return false;
    }
    config.listenPort = *port;
    logging::warn("not ready: /readyz answers 503 on http://" + config.listenHost + ":" + std::to_string(*port) +
                  " until the backends answer");
  }
  const auto bound = std::chrono::duration<double>(config.backendWaitSeconds);
  while (!failing.empty()) {
    const auto waited = std::chrono::steady_clock::now() - started;
    if (config.backendWaitSeconds > 0 && waited >= bound) {
      const double seconds = std::chrono::duration<double>(waited).count();
      logging::error("giving up after " + secondsText(std::round(seconds * 10) / 10) +
                     " s (--backend-wait): " + describe(failing));
      return false;
    }
    logging::warn("waiting: " + describe(failing));
    // librdkafka and the next connect retry meanwhile; never past the bound by more than one attempt.
    auto pause = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kRetryPause);
    if (config.backendWaitSeconds > 0)
      pause = std::min(pause, std::chrono::duration_cast<std::chrono::steady_clock::duration>(bound - waited));
    std::this_thread::sleep_for(pause);
    failing = problems(*backends);
    standIn.report(failing);
  }
  logging::info("backends answer: starting");
  return true;
}

}  // namespace wsd
