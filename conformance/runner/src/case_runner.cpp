#include "case_runner.h"

#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <memory>
#include <random>

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

std::string show(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
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
  std::optional<std::string> step(const rapidjson::Value& s);
  std::optional<std::string> connect(const rapidjson::Value& s);
  std::optional<std::string> send(const rapidjson::Value& s);
  std::optional<std::string> expect(const rapidjson::Value& s, bool next);
  std::optional<std::string> expectNone(const rapidjson::Value& s);
  std::optional<std::string> expectClose(const rapidjson::Value& s);
  std::optional<std::string> http(const rapidjson::Value& s);
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
  const std::vector<std::string> auth = {"Authorization: Bearer " + settings_.adminToken,
                                         "Content-Type: application/json"};
  auto created = httpRequest("POST", settings_.baseUrl + "/project",
                             R"({"key":")" + vars_["project"] + R"(","name":"conformance"})", auth, scaled(10000));
  if (created.status != 200)
    return "setup: POST /project answered " + std::to_string(created.status) + " " + created.body + created.error;
  auto token = httpRequest("POST", settings_.baseUrl + "/token", R"({"projectKey":")" + vars_["project"] + R"("})",
                           auth, scaled(10000));
  rapidjson::Document body;
  body.Parse(token.body.c_str());
  if (token.status != 200 || !body.IsObject() || !body.HasMember("token") || !body["token"].IsString()) {
    return "setup: POST /token answered " + std::to_string(token.status) + " " + token.body;
  }
  vars_["token"] = body["token"].GetString();
  return std::nullopt;
}

std::optional<std::string> Run::step(const rapidjson::Value& s) {
  if (s.HasMember("connect")) return connect(s);
  if (s.HasMember("send")) return send(s);
  if (s.HasMember("expect")) return expect(s, false);
  if (s.HasMember("expectNext")) return expect(s, true);
  if (s.HasMember("expectNone")) return expectNone(s);
  if (s.HasMember("expectClose")) return expectClose(s);
  if (s.HasMember("http")) return http(s);
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
  const std::string name = str(s, "connect");
  auto a = makeActor(transportOf(name));
  Endpoint endpoint{settings_.baseUrl, substitute(str(s, "project", "${project}"), vars_),
                    substitute(str(s, "token", "${token}"), vars_), str(s, "mode")};
  auto refusal = a->connect(endpoint, scaled(num(s, "within", 5000)));
  const long expectedRefusal = num(s, "expectRefusal", 0);
  if (expectedRefusal != 0) {
    if (!refusal) return "connect " + name + ": expected refusal " + std::to_string(expectedRefusal) + ", was accepted";
    if (refusal->status != expectedRefusal && transportOf(name) != "ws") {
      return "connect " + name + ": expected refusal " + std::to_string(expectedRefusal) + ", got " +
             std::to_string(refusal->status) + " " + refusal->body;
    }
    if (s.HasMember("expectBody") && transportOf(name) != "ws") {
      rapidjson::Document body;
      body.Parse(refusal->body.c_str());
      auto pattern = resolved(s["expectBody"]);
      if (auto problem = patternMismatch(pattern, body, vars_)) return "connect " + name + " refusal body " + *problem;
    }
    return std::nullopt;
  }
  if (refusal) {
    return "connect " + name + " over " + transportOf(name) + ": refused (" + std::to_string(refusal->status) + " " +
           refusal->body + " " + refusal->error + ")";
  }
  vars_[name + ".connId"] = a->connId();
  actors_[name] = std::move(a);
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
  std::string nearest;
  auto message = a->inbox().take(
      [&](const rapidjson::Value& m) {
        if (next && !first) return false;
        first = false;
        auto problem = patternMismatch(pattern, m, vars_);
        if (problem && nearest.empty()) nearest = *problem;
        return !problem;
      },
      scaled(num(s, "within", 5000)));
  if (!message) {
    std::string got;
    for (const auto& m : a->inbox().pending()) got += "\n      " + show(*m);
    return name + ": expected " + show(pattern) + (next ? " as the next message" : "") + " within " +
           std::to_string(scaled(num(s, "within", 5000)).count()) + " ms; " +
           (got.empty() ? "nothing arrived" : "first difference: " + nearest + "; got:" + got);
  }
  return capture(s, **message);
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
  HttpResult answer = httpRequest(method, settings_.baseUrl + path, body, headers, scaled(10000));
  const long expected = num(s, "expectStatus", 200);
  if (answer.status != expected) {
    return method + " " + path + ": expected " + std::to_string(expected) + ", got " + std::to_string(answer.status) +
           " " + answer.body + answer.error;
  }
  rapidjson::Document parsed;
  parsed.Parse(answer.body.c_str());
  if (s.HasMember("expectBody")) {
    auto pattern = resolved(s["expectBody"]);
    if (auto problem = patternMismatch(pattern, parsed, vars_)) return method + " " + path + " body " + *problem;
  }
  return capture(s, parsed);
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

}  // namespace wsconform
