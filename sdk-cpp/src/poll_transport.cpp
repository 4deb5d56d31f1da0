// The long-polling transport: GET /poll opens a session (its answer holds `connected`);
// then GET /poll?connId=C again and again, each answered with the pending messages as a
// JSON array (or [] after the server's poll timeout). A new transport given the old one's
// connId first asks whether the server still has that session, with a POST of a ping (a
// GET would wait for a message): 200 means it does, nothing was lost, and polling goes on
// (the pong arrives there); 404 starts a new session.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>

#include "http_transport.h"

namespace wsclient::detail {
namespace {

class PollTransport final : public HttpTransport {
 public:
  PollTransport(const LinkTarget& target, LinkListener& listener) : HttpTransport(target, listener, "/poll") {}
  ~PollTransport() override {  // before the multi they belong to
    poll_.reset();
    probe_.reset();
  }

  TransportKind kind() const override { return TransportKind::kPoll; }
  std::string resumeToken() const override { return resumeTokenFor(connId_); }

  void open(const std::string& resumeToken) override {
    connId_ = takeResumeToken(resumeToken);
    if (resumeToken.empty()) return startPoll();
    probe_ = std::make_unique<HttpExchange>(multi_, post(R"({"type":"ping"})"));
  }

 protected:
  bool opened() const override { return open_; }

  void afterIo() override {
    if (probe_ && probe_->finished()) return onProbed();
    if (!poll_ || !poll_->finished()) return;
    const std::unique_ptr<HttpExchange> done = std::move(poll_);
    const long status = done->status();
    const std::string body = done->takeBody();
    if (done->failed()) return end(LinkEnd{1006, "poll: " + done->error(), 0, {}, !open_});
    if (status == 200) return onAnswer(body);
    end(LinkEnd{1006, "poll: HTTP " + std::to_string(status), static_cast<int>(status), decodeHttpError(body), !open_});
  }

 private:
  void startPoll() { poll_ = std::make_unique<HttpExchange>(multi_, get(!connId_.empty(), {})); }

  void onProbed() {
    const std::unique_ptr<HttpExchange> done = std::move(probe_);
    if (done->failed()) return end(LinkEnd{1006, "poll: " + done->error(), 0, {}, true});
    if (done->status() == 404) {  // that session is gone: open a new one
      connId_.clear();
      return startPoll();
    }
    if (done->status() != 200) {
      const auto status = static_cast<int>(done->status());
      return end(
          LinkEnd{1006, "poll: HTTP " + std::to_string(status), status, decodeHttpError(done->takeBody()), true});
    }
    open_ = true;
    listener_.onLinkActivity();
    listener_.onLinkResumed(connId_);
    if (!ended_) startPoll();
  }

  void onAnswer(const std::string& body) {
    open_ = true;
    listener_.onLinkActivity();
    rapidjson::Document messages;
    messages.Parse(body.data(), body.size());
    if (messages.IsArray()) {
      for (const auto& message : messages.GetArray()) {
        deliver(text(message));
        if (ended_) return;
      }
    }
    // The first answer's `connected` has given us the connId (Engine calls setConnId).
    if (!connId_.empty() && !closeRequested_) startPoll();
  }

  static std::string text(const rapidjson::Value& value) {
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    value.Accept(w);
    return std::string(out.GetString(), out.GetSize());
  }

  std::unique_ptr<HttpExchange> poll_;
  std::unique_ptr<HttpExchange> probe_;
  bool open_ = false;
};

}  // namespace

std::unique_ptr<Transport> makePollTransport(const LinkTarget& target, LinkListener& listener) {
  return std::make_unique<PollTransport>(target, listener);
}

}  // namespace wsclient::detail
