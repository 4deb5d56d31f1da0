// The SSE transport: GET /sse as a text/event-stream, actions as POSTs. A new transport
// given the old one's resume token (its last event id) sends Last-Event-ID: when the
// server still holds that session (its resume window), the stream continues it and sets
// the wsd_conn cookie to the session's secret; otherwise a new session starts with
// `connected`.
#include <memory>

#include "http_transport.h"
#include "sse_parser.h"

namespace wsclient::detail {
namespace {

constexpr std::size_t kMaxRefusalBody = 65536;

class SseTransport final : public HttpTransport {
 public:
  SseTransport(const LinkTarget& target, LinkListener& listener) : HttpTransport(target, listener, "/sse") {}
  ~SseTransport() override { stream_.reset(); }  // before the multi it belongs to

  TransportKind kind() const override { return TransportKind::kSse; }
  std::string resumeToken() const override { return resumeTokenFor(parser_.lastEventId()); }

  void open(const std::string& resumeToken) override {
    const std::string lastEventId = takeResumeToken(resumeToken);
    resumeConn_ = lastEventId.substr(0, lastEventId.rfind(':'));
    std::vector<std::string> headers = {"Accept: text/event-stream", "Cache-Control: no-cache"};
    if (!lastEventId.empty()) headers.push_back("Last-Event-ID: " + lastEventId);
    stream_ = std::make_unique<HttpExchange>(multi_, get(false, std::move(headers)));
  }

 protected:
  bool opened() const override { return open_; }

  void afterIo() override {
    if (!stream_) return;
    if (!open_ && stream_->headersDone() && stream_->status() == 200) onOpened();
    if (ended_) return;
    const std::string bytes = stream_->takeBody();
    if (open_) {
      if (!bytes.empty()) listener_.onLinkActivity();
      for (const auto& data : parser_.feed(bytes)) {
        deliver(data);
        if (ended_) return;
      }
    } else if (refusal_.size() < kMaxRefusalBody) {
      refusal_ += bytes;
    }
    if (stream_->finished()) onFinished();
  }

 private:
  void onOpened() {
    open_ = true;
    // The session continues when the stream's cookie holds the secret we resumed with.
    if (!resumeConn_.empty() && !secret_.empty() && stream_->cookie("wsd_conn") == secret_) {
      connId_ = resumeConn_;
      listener_.onLinkResumed(connId_);
    }
  }

  void onFinished() {
    if (open_) {
      end(LinkEnd{1006, "SSE: the stream ended" + (stream_->failed() ? ": " + stream_->error() : ""), 0, {}, false});
      return;
    }
    const long status = stream_->status();
    const std::string why = stream_->failed() ? stream_->error() : "HTTP " + std::to_string(status);
    end(LinkEnd{1006, "SSE: " + why, static_cast<int>(status), decodeHttpError(refusal_), true});
  }

  std::unique_ptr<HttpExchange> stream_;
  SseParser parser_;
  std::string resumeConn_;
  std::string refusal_;
  bool open_ = false;
};

}  // namespace

std::unique_ptr<Transport> makeSseTransport(const LinkTarget& target, LinkListener& listener) {
  return std::make_unique<SseTransport>(target, listener);
}

}  // namespace wsclient::detail
