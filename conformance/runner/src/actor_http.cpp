// The SSE and long-polling actors (libcurl): a reader thread per actor, and POSTs for
// the actions.
#include <future>
#include <thread>

#include "actor.h"

namespace wsconform {
namespace {

using namespace std::chrono_literals;

Message parse(std::string_view text) {
  auto doc = std::make_shared<rapidjson::Document>();
  doc->Parse(text.data(), text.size());
  return doc;
}

void noteClosed(Inbox& inbox, const rapidjson::Value& message) {
  if (!message.IsObject() || !message.HasMember("type") || std::string(message["type"].GetString()) != "closed") return;
  CloseInfo info;
  if (message.HasMember("code") && message["code"].IsInt()) info.code = message["code"].GetInt();
  if (message.HasMember("reason") && message["reason"].IsString()) info.reason = message["reason"].GetString();
  inbox.closed(info);
}

// Both HTTP transports send actions the same way.
class HttpActor : public Actor {
 public:
  ~HttpActor() override { disconnect(); }

  HttpResult send(const std::string& text) override {
    return httpRequest("POST", endpoint_.baseUrl + "/" + path_ + "?" + endpointQuery(endpoint_) + "&connId=" + connId_,
                       text, {"Content-Type: application/json"}, 10s);
  }

  void disconnect() override {
    stop_ = true;
    if (reader_.joinable()) reader_.join();
  }

 protected:
  explicit HttpActor(std::string path) : path_(std::move(path)) {}

  std::string path_;
  Endpoint endpoint_;
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

class SseActor final : public HttpActor {
 public:
  SseActor() : HttpActor("sse") {}

  std::optional<Refusal> connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) override {
    endpoint_ = endpoint;
    auto finished = std::make_shared<std::promise<HttpResult>>();
    auto result = finished->get_future();
    reader_ = std::thread([this, finished] { finished->set_value(readStream()); });
    if (awaitConnected(timeout)) return std::nullopt;
    stop_ = true;
    HttpResult answer = result.get();
    return Refusal{answer.status, answer.body, answer.error.empty() ? "no connected event" : answer.error};
  }

 private:
  HttpResult readStream() {
    std::string buffer;
    HttpResult result =
        httpRequest("GET", endpoint_.baseUrl + "/sse?" + endpointQuery(endpoint_), "", {"Accept: text/event-stream"},
                    24h, &stop_, [&](std::string_view chunk) {
                      buffer.append(chunk);
                      for (auto end = buffer.find("\n\n"); end != std::string::npos; end = buffer.find("\n\n")) {
                        onEvent(buffer.substr(0, end));
                        buffer.erase(0, end + 2);
                      }
                    });
    if (result.status != 200) result.body = buffer;
    if (!stop_) inbox_.closed(CloseInfo{1006, "stream ended"});
    return result;
  }

  void onEvent(const std::string& block) {
    std::string data;
    std::size_t pos = 0;
    while (pos < block.size()) {
      auto end = block.find('\n', pos);
      std::string line = block.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (line.rfind("data:", 0) == 0) data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    if (data.empty()) return;  // comments and retry: lines
    auto message = parse(data);
    inbox_.push(message);
    noteClosed(inbox_, *message);
  }
};

class PollActor final : public HttpActor {
 public:
  PollActor() : HttpActor("poll") {}

  std::optional<Refusal> connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) override {
    endpoint_ = endpoint;
    HttpResult first = httpRequest("GET", endpoint_.baseUrl + "/poll?" + endpointQuery(endpoint_), "", {}, timeout);
    if (first.status != 200) return Refusal{first.status, first.body, first.error};
    deliver(first.body);
    if (!awaitConnected(timeout)) return Refusal{first.status, first.body, "no connected message"};
    reader_ = std::thread([this] { pollLoop(); });
    return std::nullopt;
  }

 private:
  void deliver(const std::string& body) {
    rapidjson::Document array;
    array.Parse(body.c_str());
    if (!array.IsArray()) return;
    for (auto& item : array.GetArray()) {
      auto message = std::make_shared<rapidjson::Document>();
      message->CopyFrom(item, message->GetAllocator());
      inbox_.push(message);
      noteClosed(inbox_, *message);
    }
  }

  void pollLoop() {
    const std::string url = endpoint_.baseUrl + "/poll?" + endpointQuery(endpoint_) + "&connId=" + connId_;
    while (!stop_) {
      HttpResult answer = httpRequest("GET", url, "", {}, 60s, &stop_);
      if (stop_) return;
      if (answer.status != 200) {
        inbox_.closed(CloseInfo{1006, "poll answered " + std::to_string(answer.status)});
        return;
      }
      deliver(answer.body);
    }
  }
};

}  // namespace

std::string endpointQuery(const Endpoint& endpoint) {
  std::string query = "project=" + urlEncode(endpoint.project) + "&token=" + urlEncode(endpoint.token);
  if (!endpoint.mode.empty()) query += "&mode=" + urlEncode(endpoint.mode);
  return query;
}

bool Actor::awaitConnected(std::chrono::milliseconds timeout) {
  auto connected = inbox_.take(
      [](const rapidjson::Value& m) {
        return m.IsObject() && m.HasMember("type") && m["type"].IsString() &&
               std::string(m["type"].GetString()) == "connected";
      },
      timeout);
  if (!connected) return false;
  const auto& m = **connected;
  if (m.HasMember("connId") && m["connId"].IsString()) connId_ = m["connId"].GetString();
  return true;
}

std::unique_ptr<Actor> makeHttpActor(const std::string& transport) {
  if (transport == "sse") return std::make_unique<SseActor>();
  return std::make_unique<PollActor>();
}

}  // namespace wsconform
