#include "case_runner.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <strings.h>

#include <map>
#include <memory>
#include <random>
#include <thread>

#include "actor.h"
#include "pattern.h"

namespace wsconform {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string str(const rapidjson::Value& obj, const char* key, const std::string& fallback = "") {
  if (!obj.IsObject()) return fallback;
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : fallback;
}

long num(const rapidjson::Value& obj, const char* key, long fallback) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsNumber() ? static_cast<long>(it->value.GetDouble()) : fallback;
}

bool flag(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it != obj.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

std::string show(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

// An admin change (a project or token created, changed or deleted) reaches every gateway
// of a deployment when that gateway reads it from the log, a few milliseconds after the
// answer (docs/architecture.md, "Several gateways"). Until then another gateway still
// refuses a new token or accepts a revoked one. A real client that is refused right after
// such a change retries, and so does the runner: only within this long after the case's
// own last admin change, and only for answers that a stale gateway gives.
constexpr long kAdminPropagationMs = 3000;
// Between two such attempts: a client's retry interval, not a wait for something.
constexpr milliseconds kRetryInterval{50};

// 401 invalid_token, 404 project_not_found or token_not_found: what a gateway answers for
// a project or token it has not read yet; 401 unauthorized: for a server secret it has not
// read yet. A WebSocket refusal has no body to tell.
bool staleLooking(long status, const std::string& body) {
  if (status != 401 && status != 404) return false;
  if (body.empty()) return true;
  rapidjson::Document parsed;
  parsed.Parse(body.c_str());
  const std::string code = str(parsed, "code");
  return code == "invalid_token" || code == "project_not_found" || code == "token_not_found" || code == "unauthorized";
}

// The value of header `name` (any case) in `result`, the last one if repeated.
std::optional<std::string> headerValue(const HttpResult& result, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& line : result.headers) {
    auto colon = line.find(':');
    if (colon != name.size() || strncasecmp(line.c_str(), name.c_str(), colon) != 0) continue;
    std::size_t start = line.find_first_not_of(' ', colon + 1);
    value = start == std::string::npos ? "" : line.substr(start);
  }
  return value;
}

std::string randomSuffix() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 10; ++i) out += kHex[rng() % 16];
  return out;
}

// One case in flight: its variables, actors and the step being run.
class Run {
 public:
  Run(const rapidjson::Value& caseDoc, std::string transport, const RunSettings& settings)
      : case_(caseDoc), transport_(std::move(transport)), settings_(settings) {}

  CaseResult execute();

 private:
  milliseconds scaled(long ms) const { return milliseconds(static_cast<long>(ms * settings_.timeoutScale)); }
  std::optional<std::string> setUpProject();
  std::optional<std::string> deleteCreatedProjects();
  std::optional<std::string> step(const rapidjson::Value& s);
  std::optional<std::string> connect(const rapidjson::Value& s);
  std::optional<std::string> connectOnce(const rapidjson::Value& s, bool& staleGateway);
  std::optional<std::string> drop(const rapidjson::Value& s);
  std::optional<std::string> resume(const rapidjson::Value& s);
  std::optional<std::string> send(const rapidjson::Value& s);
  std::optional<std::string> expect(const rapidjson::Value& s, bool next);
  std::string describeMiss(const rapidjson::Value& pattern, const std::vector<Message>& pending, bool next) const;
  std::optional<std::string> expectNone(const rapidjson::Value& s);
  std::optional<std::string> expectClose(const rapidjson::Value& s);
  std::optional<std::string> http(const rapidjson::Value& s);
  std::optional<std::string> httpOnce(const rapidjson::Value& s);
  std::optional<std::string> hmac(const rapidjson::Value& s);
  std::optional<std::string> checkAnswer(const rapidjson::Value& s, const std::string& call, const HttpResult& answer,
                                         const rapidjson::Document& body);
  std::optional<std::string> checkRefusal(const rapidjson::Value& s, const std::string& what, const Refusal& refusal,
                                          const std::string& transport);
  bool adminChangeMayBeInFlight() const { return Clock::now() - lastAdminChange_ < scaled(kAdminPropagationMs); }
  std::string retriedNote(int attempts) const;
  std::optional<std::string> checkSchemas();
  std::optional<std::string> capture(const rapidjson::Value& s, const rapidjson::Value& from);
  Actor* actor(const std::string& name);
  std::string transportOf(const std::string& actorName) const;
  rapidjson::Document resolved(const rapidjson::Value& pattern);

  const rapidjson::Value& case_;
  std::string transport_;
  const RunSettings& settings_;
  Variables vars_;
  std::map<std::string, std::unique_ptr<Actor>> actors_;
  Clock::time_point lastAdminChange_;
  std::vector<std::string> createdProjects_;  // deleted after the case, with their tokens
};

CaseResult Run::execute() {
  CaseResult result;
  result.name = str(case_, "name");
  result.spec = str(case_, "spec");
  result.transport = transport_;
  const auto started = Clock::now();
  auto problem = setUpProject();
  const auto& steps = case_["steps"];
  for (rapidjson::SizeType i = 0; !problem && i < steps.Size(); ++i) {
    problem = step(steps[i]);
    if (problem) result.failedStep = static_cast<int>(i);
  }
  if (!problem) problem = checkSchemas();
  for (auto& [name, a] : actors_) a->disconnect();
  if (!settings_.keep) {
    auto cleanupProblem = deleteCreatedProjects();
    if (!problem && cleanupProblem) problem = cleanupProblem;
  }
  result.passed = !problem.has_value();
  if (problem) result.failure = *problem;
  result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  return result;
}

std::optional<std::string> Run::setUpProject() {
  vars_["baseUrl"] = settings_.baseUrl;
  vars_["adminToken"] = settings_.adminToken;
  vars_["transport"] = transport_;
  vars_["project"] = "conf_" + randomSuffix();
  vars_["mailTo"] = settings_.mailTo;
  const std::vector<std::string> auth = {"Authorization: Bearer " + settings_.adminToken,
                                         "Content-Type: application/json"};
  auto created = httpRequest("POST", settings_.baseUrl + "/project",
                             R"({"key":")" + vars_["project"] + R"(","name":"conformance"})", auth, scaled(10000));
  if (created.status != 200)
    return "setup: POST /project answered " + std::to_string(created.status) + " " + created.body + created.error;
  lastAdminChange_ = Clock::now();
  createdProjects_.push_back(vars_["project"]);
  HttpResult token;
  for (int attempt = 1;; ++attempt) {
    token = httpRequest("POST", settings_.baseUrl + "/token", R"({"projectKey":")" + vars_["project"] + R"("})", auth,
                        scaled(10000));
    if (token.status != 404 || !staleLooking(token.status, token.body) || !adminChangeMayBeInFlight()) break;
    std::this_thread::sleep_for(kRetryInterval);
  }
  rapidjson::Document body;
  body.Parse(token.body.c_str());
  if (token.status != 200 || !body.IsObject() || !body.HasMember("token") || !body["token"].IsString()) {
    return "setup: POST /token answered " + std::to_string(token.status) + " " + token.body;
  }
  lastAdminChange_ = Clock::now();
  vars_["token"] = body["token"].GetString();
  return std::nullopt;
}

// Deleting a project deletes its tokens too. One the case deleted itself answers 404.
std::optional<std::string> Run::deleteCreatedProjects() {
  const std::vector<std::string> auth = {"Authorization: Bearer " + settings_.adminToken};
  std::optional<std::string> problem;
  for (const auto& key : createdProjects_) {
    auto answer = httpRequest("DELETE", settings_.baseUrl + "/project?key=" + key, "", auth, scaled(10000));
    if (answer.status != 200 && answer.status != 404 && !problem) {
      problem = "cleanup: DELETE /project?key=" + key + " answered " + std::to_string(answer.status) + " " +
                answer.body + answer.error + " (run with --keep to leave what a case creates)";
    }
  }
  return problem;
}

std::optional<std::string> Run::step(const rapidjson::Value& s) {
  if (s.HasMember("connect")) return connect(s);
  if (s.HasMember("send")) return send(s);
  if (s.HasMember("expect")) return expect(s, false);
  if (s.HasMember("expectNext")) return expect(s, true);
  if (s.HasMember("expectNone")) return expectNone(s);
  if (s.HasMember("expectClose")) return expectClose(s);
  if (s.HasMember("http")) return http(s);
  if (s.HasMember("hmac")) return hmac(s);
  if (s.HasMember("drop")) return drop(s);
  if (s.HasMember("resume")) return resume(s);
  if (s.HasMember("disconnect")) {
    if (Actor* a = actor(str(s, "disconnect"))) a->disconnect();
    return std::nullopt;
  }
  return "unknown step " + show(s);
}

std::string Run::transportOf(const std::string& actorName) const {
  const auto& actors = case_["actors"];
  if (actors.HasMember(actorName.c_str())) {
    std::string t = str(actors[actorName.c_str()], "transport", "$transport");
    return t == "$transport" ? transport_ : t;
  }
  return transport_;
}

Actor* Run::actor(const std::string& name) {
  auto it = actors_.find(name);
  return it == actors_.end() ? nullptr : it->second.get();
}

std::optional<std::string> Run::connect(const rapidjson::Value& s) {
  for (int attempt = 1;; ++attempt) {
    bool staleGateway = false;
    auto problem = connectOnce(s, staleGateway);
    if (!problem || !staleGateway || !adminChangeMayBeInFlight()) {
      return problem && attempt > 1 ? *problem + retriedNote(attempt) : problem;
    }
    std::this_thread::sleep_for(kRetryInterval);
  }
}

std::string Run::retriedNote(int attempts) const {
  return " (after " + std::to_string(attempts) + " attempts: a gateway may lag behind an admin change, so answers " +
         "like this are retried for " + std::to_string(scaled(kAdminPropagationMs).count()) +
         " ms after the case's last one)";
}

std::optional<std::string> Run::checkRefusal(const rapidjson::Value& s, const std::string& what, const Refusal& refusal,
                                             const std::string& transport) {
  const long expected = num(s, "expectRefusal", 0);
  // A refused WebSocket handshake tells the client library little: neither status nor
  // body is checked there.
  if (transport == "ws") return std::nullopt;
  if (refusal.status != expected) {
    return what + ": expected refusal " + std::to_string(expected) + ", got " + std::to_string(refusal.status) + " " +
           refusal.body + " " + refusal.error;
  }
  if (s.HasMember("expectBody")) {
    rapidjson::Document body;
    body.Parse(refusal.body.c_str());
    auto pattern = resolved(s["expectBody"]);
    if (auto problem = patternMismatch(pattern, body, vars_)) return what + " refusal body " + *problem;
  }
  return std::nullopt;
}

// One attempt; `staleGateway` tells whether what went wrong is what a gateway that has not
// read the case's last admin change would do.
std::optional<std::string> Run::connectOnce(const rapidjson::Value& s, bool& staleGateway) {
  const std::string name = str(s, "connect");
  const std::string transport = transportOf(name);
  auto a = makeActor(transport);
  Endpoint endpoint{settings_.baseUrl, substitute(str(s, "project", "${project}"), vars_),
                    substitute(str(s, "token", "${token}"), vars_), str(s, "mode"),
                    substitute(str(s, "origin"), vars_)};
  auto refusal = a->connect(endpoint, scaled(num(s, "within", 5000)));
  const long expectedRefusal = num(s, "expectRefusal", 0);
  if (expectedRefusal != 0) {
    if (!refusal) {
      staleGateway = true;  // it may not have read the revocation or deletion yet
      return "connect " + name + ": expected refusal " + std::to_string(expectedRefusal) + ", was accepted";
    }
    auto problem = checkRefusal(s, "connect " + name, *refusal, transport);
    staleGateway = problem.has_value() && staleLooking(refusal->status, refusal->body);
    return problem;
  }
  if (refusal) {
    staleGateway = staleLooking(refusal->status, refusal->body);
    return "connect " + name + " over " + transport + ": refused (" + std::to_string(refusal->status) + " " +
           refusal->body + " " + refusal->error + ")";
  }
  vars_[name + ".connId"] = a->connId();
  actors_[name] = std::move(a);
  return std::nullopt;
}

std::optional<std::string> Run::drop(const rapidjson::Value& s) {
  const std::string name = str(s, "drop");
  Actor* a = actor(name);
  if (a == nullptr) return "drop: " + name + " is not connected";
  if (!a->drop()) {
    return "drop: " + name + " uses " + transportOf(name) +
           ", which cannot lose its connection without closing it; give the case transports sse and poll";
  }
  return std::nullopt;
}

std::optional<std::string> Run::resume(const rapidjson::Value& s) {
  const std::string name = str(s, "resume");
  Actor* a = actor(name);
  if (a == nullptr) return "resume: " + name + " never connected";
  const bool newSession = flag(s, "newSession");
  const std::string previousConn = a->connId();
  auto refusal = a->resume(newSession, scaled(num(s, "within", 5000)));
  const std::string what = "resume " + name + " (session " + previousConn + ")";
  if (num(s, "expectRefusal", 0) != 0) {
    if (!refusal) return what + ": expected refusal " + std::to_string(num(s, "expectRefusal", 0)) + ", was resumed";
    return checkRefusal(s, what, *refusal, transportOf(name));
  }
  if (refusal) {
    return what + " over " + transportOf(name) + ": refused (" + std::to_string(refusal->status) + " " + refusal->body +
           " " + refusal->error + ")";
  }
  vars_[name + ".connId"] = a->connId();
  return std::nullopt;
}

rapidjson::Document Run::resolved(const rapidjson::Value& pattern) {
  rapidjson::Document doc;
  doc.CopyFrom(pattern, doc.GetAllocator());
  substitute(doc, doc.GetAllocator(), vars_);
  return doc;
}

std::optional<std::string> Run::send(const rapidjson::Value& s) {
  const std::string name = str(s, "send");
  Actor* a = actor(name);
  if (a == nullptr) return "send: " + name + " is not connected";
  std::string text = s.HasMember("raw") ? substitute(str(s, "raw"), vars_) : show(resolved(s["message"]));
  HttpResult answer = a->send(text);
  const long expected = num(s, "expectStatus", 200);
  if (transportOf(name) != "ws" && answer.status != expected) {
    return "send " + name + ": POST answered " + std::to_string(answer.status) + " (expected " +
           std::to_string(expected) + ") " + answer.body + answer.error;
  }
  return std::nullopt;
}

std::optional<std::string> Run::capture(const rapidjson::Value& s, const rapidjson::Value& from) {
  if (!s.HasMember("capture")) return std::nullopt;
  for (const auto& c : s["capture"].GetObject()) {
    rapidjson::Pointer pointer(c.value.GetString());
    const rapidjson::Value* v = pointer.Get(from);
    if (v == nullptr) return std::string("capture: nothing at ") + c.value.GetString() + " in " + show(from);
    vars_[c.name.GetString()] = v->IsString() ? v->GetString() : show(*v);
  }
  return std::nullopt;
}

std::optional<std::string> Run::expect(const rapidjson::Value& s, bool next) {
  const std::string name = str(s, next ? "expectNext" : "expect");
  Actor* a = actor(name);
  if (a == nullptr) return "expect: " + name + " is not connected";
  auto pattern = resolved(s["message"]);
  bool first = true;
  auto message = a->inbox().take(
      [&](const rapidjson::Value& m) {
        if (next && !first) return false;
        first = false;
        return !patternMismatch(pattern, m, vars_);
      },
      scaled(num(s, "within", 5000)));
  if (!message) {
    return name + ": expected " + show(pattern) + (next ? " as the next message" : "") + " within " +
           std::to_string(scaled(num(s, "within", 5000)).count()) + " ms; " +
           describeMiss(pattern, a->inbox().pending(), next);
  }
  return capture(s, **message);
}

// How far a received message is from an expected pattern: one of another `type` than the
// pattern's is farther than any of the same type (a changed field of the awaited message
// is what a reader wants to see, not a notice that happened to differ in fewer fields);
// then the fewer differing fields, the closer.
struct Distance {
  bool otherType = false;
  std::vector<std::string> differences;
  bool closerThan(const Distance& other) const {
    if (otherType != other.otherType) return !otherType;
    return differences.size() < other.differences.size();
  }
};

Distance distance(const rapidjson::Value& pattern, const rapidjson::Value& message, const Variables& vars) {
  Distance d;
  d.differences = patternMismatches(pattern, message, vars);
  const std::string expectedType = str(pattern, "type");
  d.otherType = !expectedType.empty() && str(message, "type") != expectedType;
  return d;
}

// A failure report lists at most this many of the messages that arrived (the latest):
// enough to see what the server was doing, short enough to read.
constexpr std::size_t kShownMessages = 20;

// What arrived instead of `pattern`: the differences from the closest message (with
// `next`, the next one is the only candidate), then the messages received and not
// consumed by an earlier step, numbered, the last kShownMessages of them.
std::string Run::describeMiss(const rapidjson::Value& pattern, const std::vector<Message>& pending, bool next) const {
  if (pending.empty()) return "nothing arrived";
  const std::size_t candidates = next ? 1 : pending.size();
  std::size_t closest = 0;
  Distance best = distance(pattern, *pending[0], vars_);
  for (std::size_t i = 1; i < candidates; ++i) {
    Distance d = distance(pattern, *pending[i], vars_);
    if (d.closerThan(best)) {
      closest = i;
      best = std::move(d);
    }
  }
  const auto& fields = best.differences;
  std::string out = (next ? "the next message" : "closest: message " + std::to_string(closest + 1)) + " differs in " +
                    std::to_string(fields.size()) + (fields.size() == 1 ? " field: " : " fields: ");
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i == 0 ? "" : "; ") + fields[i];
  const std::size_t first = pending.size() > kShownMessages ? pending.size() - kShownMessages : 0;
  out += "; received " + std::to_string(pending.size());
  out += first == 0 ? ":" : " (the last " + std::to_string(kShownMessages) + " shown):";
  for (std::size_t i = first; i < pending.size(); ++i)
    out += "\n      " + std::to_string(i + 1) + ". " + show(*pending[i]);
  return out;
}

std::optional<std::string> Run::expectNone(const rapidjson::Value& s) {
  const std::string name = str(s, "expectNone");
  Actor* a = actor(name);
  if (a == nullptr) return "expectNone: " + name + " is not connected";
  auto pattern = resolved(s["message"]);
  auto message = a->inbox().take([&](const rapidjson::Value& m) { return !patternMismatch(pattern, m, vars_); },
                                 scaled(num(s, "for", 300)));
  if (message) return name + ": expected no " + show(pattern) + ", got " + show(**message);
  return std::nullopt;
}

std::optional<std::string> Run::expectClose(const rapidjson::Value& s) {
  const std::string name = str(s, "expectClose");
  Actor* a = actor(name);
  if (a == nullptr) return "expectClose: " + name + " is not connected";
  auto closed = a->inbox().waitClosed(scaled(num(s, "within", 5000)));
  if (!closed) return name + ": expected the connection to close";
  const long code = num(s, "code", 0);
  if (code != 0 && closed->code != code) {
    return name + ": expected close code " + std::to_string(code) + ", got " + std::to_string(closed->code) + " " +
           closed->reason;
  }
  return std::nullopt;
}

std::optional<std::string> Run::http(const rapidjson::Value& s) {
  const long times = num(s, "repeat", 1);
  for (long i = 1; i <= times; ++i) {
    auto problem = httpOnce(s);
    if (problem && times > 1) return "call " + std::to_string(i) + " of " + std::to_string(times) + ": " + *problem;
    if (problem) return problem;
  }
  return std::nullopt;
}

std::optional<std::string> Run::httpOnce(const rapidjson::Value& s) {
  const auto& h = s["http"];
  std::vector<std::string> headers = {"Content-Type: application/json"};
  const std::string auth = str(h, "auth", "admin");
  if (auth == "admin")
    headers.push_back("Authorization: Bearer " + settings_.adminToken);
  else if (auth != "none")
    headers.push_back("Authorization: Bearer " + substitute(auth, vars_));
  std::string body;
  if (h.HasMember("body"))
    body = h["body"].IsString() ? substitute(h["body"].GetString(), vars_) : show(resolved(h["body"]));
  const std::string method = str(h, "method", "GET");
  const std::string path = substitute(str(h, "path"), vars_);
  for (int attempt = 1;; ++attempt) {
    HttpResult answer = httpRequest(method, settings_.baseUrl + path, body, headers, scaled(10000));
    rapidjson::Document parsed;
    parsed.Parse(answer.body.c_str());
    auto problem = checkAnswer(s, method + " " + path, answer, parsed);
    if (!problem) {
      if (auth == "admin" && method != "GET" && answer.status / 100 == 2) lastAdminChange_ = Clock::now();
      if (auth == "admin" && method == "POST" && path == "/project" && answer.status / 100 == 2) {
        createdProjects_.push_back(str(parsed, "key"));
      }
      return capture(s, parsed);
    }
    if (!staleLooking(answer.status, answer.body) || !adminChangeMayBeInFlight()) {
      return attempt > 1 ? *problem + retriedNote(attempt) : problem;
    }
    std::this_thread::sleep_for(kRetryInterval);
  }
}

// What an app's backend computes to sign a bind: ${as} = hex HMAC-SHA256(key, message).
std::optional<std::string> Run::hmac(const rapidjson::Value& s) {
  const auto& h = s["hmac"];
  const std::string key = substitute(str(h, "key"), vars_);
  const std::string message = substitute(str(h, "message"), vars_);
  const std::string as = str(s, "as");
  if (as.empty()) return "hmac: name the variable to store it in with \"as\"";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += {kHex[digest[i] >> 4], kHex[digest[i] & 0xf]};
  vars_[as] = hex;
  return std::nullopt;
}

std::optional<std::string> Run::checkAnswer(const rapidjson::Value& s, const std::string& call,
                                            const HttpResult& answer, const rapidjson::Document& body) {
  const long expected = num(s, "expectStatus", 200);
  if (answer.status != expected) {
    return call + ": expected " + std::to_string(expected) + ", got " + std::to_string(answer.status) + " " +
           answer.body + answer.error;
  }
  if (s.HasMember("expectBody")) {
    auto pattern = resolved(s["expectBody"]);
    if (auto problem = patternMismatch(pattern, body, vars_)) return call + " body " + *problem;
  }
  if (s.HasMember("expectHeaders")) {
    for (const auto& h : s["expectHeaders"].GetObject()) {
      const std::string name = h.name.GetString();
      auto value = headerValue(answer, name);
      const bool wantsAbsent = h.value.IsString() && std::string(h.value.GetString()) == "$absent";
      if (!value) {
        if (wantsAbsent) continue;
        return call + ": header " + name + " missing";
      }
      if (wantsAbsent) return call + ": header " + name + " expected absent, got \"" + *value + "\"";
      rapidjson::Value actual(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
      if (auto problem = patternMismatch(h.value, actual, vars_, "header " + name)) return call + ": " + *problem;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Run::checkSchemas() {
  if (settings_.schemas == nullptr) return std::nullopt;
  for (auto& [name, a] : actors_) {
    for (const auto& m : a->inbox().received()) {
      const std::string type = str(*m, "type");
      const std::string schema = "server/" + type;
      if (!settings_.schemas->has(schema)) return name + " received a message of unknown type: " + show(*m);
      if (auto problem = settings_.schemas->check(schema, *m)) {
        return name + " received a message that breaks " + schema + ".json (" + *problem + "): " + show(*m);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

CaseResult runCase(const rapidjson::Value& caseDoc, const std::string& transport, const RunSettings& settings) {
  Run run(caseDoc, transport, settings);
  return run.execute();
}

CaseResult skippedCase(const rapidjson::Value& caseDoc, const std::string& transport, std::string why) {
  CaseResult result;
  result.name = str(caseDoc, "name");
  result.spec = str(caseDoc, "spec");
  result.transport = transport;
  result.skipped = std::move(why);
  return result;
}

}  // namespace wsconform
