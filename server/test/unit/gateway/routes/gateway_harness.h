// A gateway without a network, for route tests: the server's own route table
// (gateway_routes.h) over real parts: an embedded log in a temporary directory, the
// projector on a memory store, the session registry and the event pipeline. Only the
// exchanges are fakes (fake_exchange.h).
//
// The log is written without fsync, so it hands each event back before append()
// returns; applying what came back is the loop's part, done here by applyCommitted(),
// as the server does after every callback. A test can therefore look between the two: a
// change is not answered before its event is applied.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.h"
#include "core/projection_cursor.h"
#include "core/projector.h"
#include "core/schema_registry.h"
#include "fake_exchange.h"
#include "gateway/event_pipeline.h"
#include "gateway/gateway_context.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/routes/admin_stream.h"
#include "gateway/routes/gateway_routes.h"
#include "gateway/routes/mail_route.h"
#include "gateway/routes/stream_routes.h"
#include "gateway/sessions/local_session_directory.h"
#include "gateway/sessions/session_registry.h"
#include "log/embedded_log.h"
#include "log/segment_log.h"
#include "store/memory_store.h"

namespace wsd::testing {

inline constexpr const char* kAdminToken = "admin-token-for-route-tests";

// The value of a set-up step that cannot fail in a working build; the test stops if it does.
template <typename T>
T required(Result<T> result, const char* what) {
  if (!result.ok()) {
    ADD_FAILURE() << what << ": " << result.error().message;
    std::terminate();
  }
  return std::move(result.value());
}

inline GatewayOptions routeTestOptions() {
  GatewayOptions options;
  options.adminToken = kAdminToken;
  options.node = "node-under-test";
  return options;
}

// A string field of the answer's JSON body; nullopt when absent.
inline std::optional<std::string> stringField(const HttpResponse& response, const char* name) {
  json::Document body;
  json::parse(body, response.body);
  return json::string(body, name);
}

// The `code` of an error answer.
inline std::string codeOf(const HttpResponse& response) { return stringField(response, "code").value_or(""); }

class GatewayHarness {
 public:
  // `io`: the log's file calls (log/file_io.h), to fail them as a full disk would.
  explicit GatewayHarness(GatewayOptions options = routeTestOptions(), log::FileIo* io = nullptr)
      : dir_(temporaryDirectory()),
        schemas_(required(SchemaRegistry::compile(embeddedSchemas()), "schemas")),
        log_(openLog(dir_, io)),
        projector_(state_, options.projectorLimits),
        pipeline_(*log_, projector_, cursor_, sessions_, [] {}),
        ctx_{std::move(options), *schemas_, state_, sessions_, pipeline_, metrics_, {}},
        streams_{ctx_, directory_},
        mail_(ctx_, mailAnswers_),
        adminStream_(ctx_),
        routes_(gatewayRoutes(streams_, mail_, adminStream_)) {
    pipeline_.observe(
        [this](const Event& event, const Effects&) { appliedEvents_.emplace_back(event.type, event.id); });
    if (!pipeline_.start().ok()) ADD_FAILURE() << "the pipeline did not start";
  }
  ~GatewayHarness() {
    log_->stop();
    std::filesystem::remove_all(dir_);
  }
  GatewayHarness(const GatewayHarness&) = delete;
  GatewayHarness& operator=(const GatewayHarness&) = delete;

  GatewayContext& ctx() { return ctx_; }
  const store::MemoryStore& state() const { return state_; }
  MailRoute& mail() { return mail_; }
  // Where POST /mail's later answers go (the server's HttpExchanges).
  RecordedAnswers& mailAnswers() { return mailAnswers_; }
  // Events applied since the start: how many, and the id of the last of `type` ("" if none).
  std::uint64_t applied() const { return cursor_.applied(); }
  std::string lastApplied(EventType type) const {
    for (auto it = appliedEvents_.rbegin(); it != appliedEvents_.rend(); ++it) {
      if (it->first == type) return it->second;
    }
    return "";
  }
  // Appends an event as another part of the system would (the mailer, say); applied by
  // the next applyCommitted().
  void append(std::shared_ptr<Event> event) { pipeline_.submit(std::move(event)); }

  // A request as a client sends it, `Authorization: Bearer <admin token>` unless `bearer`
  // names another (or nullopt: no header).
  static std::unique_ptr<FakeExchange> request(std::string method, std::string path,
                                               std::vector<std::pair<std::string, std::string>> query = {},
                                               std::string body = "",
                                               std::optional<std::string> bearer = std::string(kAdminToken)) {
    auto exchange = std::make_unique<FakeExchange>(std::move(method), std::move(path), nextExchangeId());
    HttpRequest& r = exchange->mutableRequest();
    r.query = std::move(query);
    r.body = std::move(body);
    if (bearer) r.authorization = "Bearer " + *bearer;
    return exchange;
  }

  // Routes the request, as the server does in its HTTP callback; nothing is applied yet.
  int dispatch(FakeExchange& exchange) { return routes_.dispatch(exchange); }
  // Applies what the log handed back, as the loop does once the callback is over.
  void applyCommitted() { pipeline_.drainCommitted(); }

  // Routes the request, applies what it appended, and returns its one answer, given at
  // once or once applied. A request answered twice, or not at all, fails the test.
  HttpResponse answerTo(FakeExchange& exchange) {
    dispatch(exchange);
    applyCommitted();
    const std::size_t answers = exchange.answeredNow.size() + exchange.answeredLater.given.size();
    EXPECT_EQ(answers, 1U) << exchange.request().method << " " << exchange.request().path;
    if (!exchange.answeredNow.empty()) return exchange.answeredNow.front();
    if (!exchange.answeredLater.given.empty()) return exchange.answeredLater.given.front().second;
    return HttpResponse{0, "", "", {}};
  }
  HttpResponse answerTo(std::unique_ptr<FakeExchange> exchange) { return answerTo(*exchange); }

  // A request and the error it must be answered with.
  struct Refusal {
    std::unique_ptr<FakeExchange> exchange;
    int status;
    std::string code;
  };
  // Answers each request and checks its status and error code.
  void expectRefusals(const std::vector<Refusal>& refusals) {
    for (const auto& refusal : refusals) {
      const HttpRequest& request = refusal.exchange->request();
      const HttpResponse answer = answerTo(*refusal.exchange);
      EXPECT_EQ(answer.status, refusal.status) << request.method << " " << request.path << " " << request.body;
      EXPECT_EQ(codeOf(answer), refusal.code) << request.method << " " << request.path << " " << request.body;
    }
  }

  // A project and a token for it, made through the admin API; the token's value.
  std::string projectWithToken(const std::string& key) {
    EXPECT_EQ(answerTo(request("POST", "/project", {}, R"({"key":")" + key + R"("})")).status, 200);
    auto issued = answerTo(request("POST", "/token", {}, R"({"projectKey":")" + key + R"("})"));
    EXPECT_EQ(issued.status, 200) << issued.body;
    return stringField(issued, "token").value_or("");
  }

 private:
  static std::string temporaryDirectory() {
    char pattern[] = "/tmp/wsd-route-test-XXXXXX";
    const char* made = mkdtemp(pattern);
    if (made == nullptr) {
      ADD_FAILURE() << "no temporary directory";
      std::terminate();
    }
    return made;
  }
  static std::unique_ptr<log::EmbeddedLog> openLog(const std::string& dir, log::FileIo* io) {
    log::SegmentLog::Options options;
    options.directory = dir + "/log";
    options.io = io;
    auto segments = required(log::SegmentLog::open(options), "the log");
    return std::make_unique<log::EmbeddedLog>(std::move(segments), nullptr, log::FsyncPolicy::kNever);
  }
  static std::uint64_t nextExchangeId() {
    static std::uint64_t next = 1;
    return next++;
  }

  std::string dir_;
  std::unique_ptr<SchemaRegistry> schemas_;
  std::unique_ptr<log::EmbeddedLog> log_;
  store::MemoryStore state_;
  Projector projector_;
  ProjectionCursor cursor_;
  SessionRegistry sessions_;
  GatewayMetrics metrics_;
  EventPipeline pipeline_;
  GatewayContext ctx_;
  LocalSessionDirectory directory_;
  StreamRoutes streams_;
  RecordedAnswers mailAnswers_;
  MailRoute mail_;
  AdminStream adminStream_;
  RouteTable routes_;
  std::vector<std::pair<EventType, std::string>> appliedEvents_;
};

}  // namespace wsd::testing
