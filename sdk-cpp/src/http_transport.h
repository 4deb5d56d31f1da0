// What the SSE and long-polling transports share: a libcurl multi handle, the URLs, and
// the action POSTs (docs/protocol.md: POST /sse or /poll ?project&token&connId, answered
// 200 {"status":"ok"}). POSTs go one at a time, so the server sees actions in send order.
//
// Locality: the I/O thread, except wake() (curl_multi_wakeup: any thread).
#pragma once

#include <memory>

#include "http_exchange.h"
#include "transport.h"

namespace wsclient::detail {

class HttpTransport : public Transport {
 public:
  void setConnId(const std::string& connId) override { connId_ = connId; }
  bool canWrite() const override { return opened() && !connId_.empty() && !post_ && !closeRequested_ && !ended_; }
  void write(Outgoing item) override;
  // No close message exists for these transports: the link ends once the POST in flight
  // is answered. The server ends the session itself (SSE: after its resume window; poll:
  // after its session timeout).
  void close() override { closeRequested_ = true; }
  std::vector<Outgoing> takeUnsent() override;
  void service(std::chrono::milliseconds maxWait) override;
  void wake() override { multi_.wakeup(); }

 protected:
  HttpTransport(const LinkTarget& target, LinkListener& listener, std::string path)
      : target_(target), listener_(listener), path_(std::move(path)) {}

  // Reads what the transfers brought since the last perform(); listener calls go here.
  virtual void afterIo() = 0;
  // The session is up far enough to take POSTs.
  virtual bool opened() const = 0;

  // origin + prefix + path + "?" + query, and "&connId=" when asked.
  std::string url(bool withConnId) const;
  HttpRequest get(bool withConnId, std::vector<std::string> headers) const;
  // POST of one action, with the connId.
  HttpRequest post(std::string body) const;
  void end(const LinkEnd& end);
  // A server message for the listener. The session's `connected` tells its secret, which
  // every later request carries (Wsd-Session-Secret) to prove it is this client's.
  void deliver(const std::string& message);
  // A resume token: what the server needs to continue the session (`position`: the last
  // event id, or the connId), with its secret.
  std::string resumeTokenFor(const std::string& position) const;
  // Splits a resume token into its position (returned) and the secret (kept).
  std::string takeResumeToken(const std::string& token);

  CurlMulti multi_;
  LinkTarget target_;
  LinkListener& listener_;
  std::string path_;
  std::string connId_;
  std::string secret_;
  bool ended_ = false;
  bool closeRequested_ = false;

 private:
  void step();
  void checkPost();

  std::unique_ptr<HttpExchange> post_;
  Outgoing postItem_;
};

std::unique_ptr<Transport> makeSseTransport(const LinkTarget& target, LinkListener& listener);
std::unique_ptr<Transport> makePollTransport(const LinkTarget& target, LinkListener& listener);

}  // namespace wsclient::detail
