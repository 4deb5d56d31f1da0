// The SSE and long-polling actors (libcurl): a reader thread per actor, and POSTs for
// the actions.
#include <functional>
#include <future>
#include <thread>

#include "actor.h"

namespace wsconform {
namespace {

using namespace std::chrono_literals;

// The opening request's Origin, when the case gives one (as a browser page would send it).
std::vector<std::string> originHeader(const Endpoint& endpoint) {
  if (endpoint.origin.empty()) return {};
  return {"Origin: " + endpoint.origin};
}

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
                       text, withSecret({"Content-Type: application/json"}), 10s);
  }

  void disconnect() override {
    stop_ = true;
    if (reader_.joinable()) reader_.join();
  }

 protected:
  explicit HttpActor(std::string path) : path_(std::move(path)) {}

  // `headers` and the session's secret, which proves a request is this client's (a server
  // that gives none is sent none).
  std::vector<std::string> withSecret(std::vector<std::string> headers) const {
    if (!secret_.empty()) headers.push_back("Wsd-Session-Secret: " + secret_);
    return headers;
  }

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
    auto finished = openStream(originHeader(endpoint));
    if (awaitConnected(timeout)) return std::nullopt;
    stop_ = true;
    HttpResult answer = finished.get();
    return Refusal{answer.status, answer.body, answer.error.empty() ? "no connected event" : answer.error};
  }

  bool drop() override {
    disconnect();
    return true;
  }

  // What an EventSource does when its stream breaks: it reconnects with Last-Event-ID.
  std::optional<Refusal> resume(bool newSession, std::chrono::milliseconds timeout) override {
    disconnect();
    const std::string previousConn = connId_;
    auto finished = openStream(withSecret({"Last-Event-ID: " + lastEventId_}));
    if (newSession) {
      if (!awaitConnected(timeout)) return refusal(finished, "no connected event for a new session");
      if (connId_ == previousConn) return Refusal{200, "", "the server resumed session " + connId_ + " instead"};
      return std::nullopt;
    }
    // The same session goes on without a new `connected`: the stream is back once it
    // answers (wsd writes its `retry:` line at once; the case's own steps check the rest).
    if (streamAnswered_.wait_for(timeout) != std::future_status::ready) {
      return refusal(finished, "the stream did not answer");
    }
    if (finished.wait_for(0s) == std::future_status::ready) {
      HttpResult answer = finished.get();
      if (answer.status != 200) return Refusal{answer.status, answer.body, answer.error};
    }
    return std::nullopt;
  }

 private:
  // Starts the reader thread on GET /sse; the future holds the request's end.
  std::future<HttpResult> openStream(std::vector<std::string> headers) {
    stop_ = false;
    headers.emplace_back("Accept: text/event-stream");
    auto answered = std::make_shared<std::promise<void>>();
    streamAnswered_ = answered->get_future();
    auto finished = std::make_shared<std::promise<HttpResult>>();
    auto result = finished->get_future();
    reader_ = std::thread([this, headers, answered, finished] {
      bool told = false;
      auto tell = [&] {
        if (!told) answered->set_value();
        told = true;
      };
      HttpResult answer = readStream(headers, tell);
      tell();
      finished->set_value(std::move(answer));
    });
    return result;
  }

  Refusal refusal(std::future<HttpResult>& finished, const std::string& why) {
    stop_ = true;
    HttpResult answer = finished.get();
    return Refusal{answer.status, answer.body, answer.error.empty() ? why : answer.error};
  }

  HttpResult readStream(const std::vector<std::string>& headers, const std::function<void()>& onFirstBytes) {
    std::string buffer;
    HttpResult result =
        httpRequest("GET", endpoint_.baseUrl + "/sse?" + endpointQuery(endpoint_), "", headers, 24h, &stop_,
                    [&](std::string_view chunk) {
                      onFirstBytes();
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
    std::string id;
    std::size_t pos = 0;
    while (pos < block.size()) {
      auto end = block.find('\n', pos);
      std::string line = block.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
      if (line.rfind("data:", 0) == 0) data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
      if (line.rfind("id:", 0) == 0) id = line.substr(line.size() > 3 && line[3] == ' ' ? 4 : 3);
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    if (!id.empty()) lastEventId_ = id;  // as an EventSource does, with or without data
    if (data.empty()) return;            // comments and retry: lines
    auto message = parse(data);
    inbox_.push(message);
    noteClosed(inbox_, *message);
  }

  std::string lastEventId_;  // written by the reader thread, read after it is joined
  std::future<void> streamAnswered_;
};

class PollActor final : public HttpActor {
 public:
  PollActor() : HttpActor("poll") {}

  std::optional<Refusal> connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) override {
    endpoint_ = endpoint;
    HttpResult first = httpRequest("GET", endpoint_.baseUrl + "/poll?" + endpointQuery(endpoint_), "",
                                   originHeader(endpoint), timeout);
    if (first.status != 200) return Refusal{first.status, first.body, first.error};
    deliver(first.body);
    if (!awaitConnected(timeout)) return Refusal{first.status, first.body, "no connected message"};
    startPolling();
    return std::nullopt;
  }

  bool drop() override {
    disconnect();  // the held GET is abandoned, as by a client that went away
    return true;
  }

  // Polls the same session again. Its first answer decides: a refusal (wsd: 404 for a
  // session that ended), or messages; a GET still held after `timeout` means the session
  // is there with nothing to say.
  std::optional<Refusal> resume(bool newSession, std::chrono::milliseconds timeout) override {
    if (newSession) return Refusal{0, "", "a polling client has no way to ask for a new session on resume"};
    disconnect();
    auto first = std::make_shared<std::promise<HttpResult>>();
    auto answered = first->get_future();
    startPolling(first);
    if (answered.wait_for(timeout) != std::future_status::ready) return std::nullopt;
    HttpResult answer = answered.get();
    if (answer.status == 200) return std::nullopt;
    disconnect();
    return Refusal{answer.status, answer.body, answer.error};
  }

 private:
  // `firstAnswer`, when set, receives the first GET's answer.
  void startPolling(std::shared_ptr<std::promise<HttpResult>> firstAnswer = nullptr) {
    stop_ = false;
    reader_ = std::thread([this, firstAnswer = std::move(firstAnswer)]() mutable { pollLoop(std::move(firstAnswer)); });
  }

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

  void pollLoop(std::shared_ptr<std::promise<HttpResult>> firstAnswer) {
    const std::string url = endpoint_.baseUrl + "/poll?" + endpointQuery(endpoint_) + "&connId=" + urlEncode(connId_);
    while (!stop_) {
      HttpResult answer = httpRequest("GET", url, "", withSecret({}), 60s, &stop_);
      if (stop_) return;
      if (firstAnswer) {
        firstAnswer->set_value(answer);
        firstAnswer.reset();
      }
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
      timeout, /*orClose=*/true);  // a refused handshake is known at once
  if (!connected) return false;
  const auto& m = **connected;
  if (m.HasMember("connId") && m["connId"].IsString()) connId_ = m["connId"].GetString();
  secret_ = m.HasMember("secret") && m["secret"].IsString() ? m["secret"].GetString() : "";
  return true;
}

std::unique_ptr<Actor> makeHttpActor(const std::string& transport) {
  if (transport == "sse") return std::make_unique<SseActor>();
  return std::make_unique<PollActor>();
}

}  // namespace wsconform
