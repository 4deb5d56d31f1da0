#include "http_transport.h"

#include <rapidjson/document.h>

#include <string_view>

namespace wsclient::detail {

std::string HttpTransport::url(bool withConnId) const {
  std::string out = target_.origin + target_.prefix + path_ + "?" + target_.query;
  if (withConnId) out += "&connId=" + connId_;
  return out;
}

namespace {

std::string secretHeader(const std::string& secret) { return "Wsd-Session-Secret: " + secret; }

}  // namespace

void HttpTransport::deliver(const std::string& message) {
  constexpr std::string_view kConnected = R"({"type":"connected")";
  if (message.compare(0, kConnected.size(), kConnected) == 0) {
    rapidjson::Document parsed;
    parsed.Parse(message.data(), message.size());
    if (parsed.IsObject() && parsed.HasMember("secret") && parsed["secret"].IsString()) {
      secret_.assign(parsed["secret"].GetString(), parsed["secret"].GetStringLength());
    }
  }
  listener_.onLinkMessage(message);
}

std::string HttpTransport::resumeTokenFor(const std::string& position) const {
  return position.empty() ? std::string() : position + "\n" + secret_;
}

std::string HttpTransport::takeResumeToken(const std::string& token) {
  const auto newline = token.find('\n');
  if (newline == std::string::npos) return token;
  secret_ = token.substr(newline + 1);
  return token.substr(0, newline);
}

HttpRequest HttpTransport::get(bool withConnId, std::vector<std::string> headers) const {
  HttpRequest request;
  request.url = url(withConnId);
  request.headers = std::move(headers);
  if (!secret_.empty()) request.headers.push_back(secretHeader(secret_));
  request.connectTimeout = target_.connectTimeout;
  return request;
}

HttpRequest HttpTransport::post(std::string body) const {
  HttpRequest request;
  request.method = "POST";
  request.url = url(true);
  request.body = std::move(body);
  request.headers = {"Content-Type: application/json", "Expect:"};
  if (!secret_.empty()) request.headers.push_back(secretHeader(secret_));
  request.connectTimeout = target_.connectTimeout;
  request.timeout = target_.requestTimeout;
  return request;
}

void HttpTransport::write(Outgoing item) {
  post_ = std::make_unique<HttpExchange>(multi_, post(item.text));
  postItem_ = std::move(item);
}

std::vector<Outgoing> HttpTransport::takeUnsent() {
  std::vector<Outgoing> unsent;
  if (post_) {  // its fate is unknown; sending it again beats losing it
    post_.reset();
    unsent.push_back(std::move(postItem_));
  }
  return unsent;
}

void HttpTransport::service(std::chrono::milliseconds maxWait) {
  multi_.perform();
  step();
  if (ended_) return;
  multi_.poll(maxWait);
  multi_.perform();
  step();
}

void HttpTransport::step() {
  afterIo();
  if (!ended_) checkPost();
  if (!ended_ && closeRequested_ && !post_) end(LinkEnd{1000, "closed by the client", 0, {}, false});
}

// 200: delivered. No answer, or 404 (the session is gone): the link is lost, the message goes
// back for the next one. Any other error status: the server refused this message for good.
void HttpTransport::checkPost() {
  if (!post_ || !post_->finished()) return;
  const long status = post_->status();
  const std::string body = post_->takeBody();
  if (post_->failed() || status == 404) {
    const std::string why = post_->failed() ? post_->error() : "the session is gone (404)";
    end(LinkEnd{1006, "POST " + path_ + ": " + why, 0, {}, false});
    return;
  }
  post_.reset();
  Outgoing item = std::move(postItem_);
  if (status != 200) listener_.onLinkRejected(std::move(item), static_cast<int>(status), decodeHttpError(body));
  if (!ended_) listener_.onLinkWritable();
}

void HttpTransport::end(const LinkEnd& end) {
  if (ended_) return;
  ended_ = true;
  listener_.onLinkEnded(end, takeUnsent());
}

}  // namespace wsclient::detail
