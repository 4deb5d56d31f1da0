// The WebSocket transport on the libwebsockets client. lws calls back on the I/O thread
// (inside lws_service); wake-ups from other threads come through lws_cancel_service as
// LWS_CALLBACK_EVENT_WAIT_CANCELLED, which the context routes to its current link.
//
// libwebsockets does not hand over the body of a refused upgrade, so the link then asks the
// same URL once more without the upgrade (libcurl), which the server answers with the same
// refusal and its JSON code (docs/protocol.md, "Connecting"); the link ends after that.
#include "ws_transport.h"

#include <libwebsockets.h>

#include <cstring>
#include <deque>
#include <mutex>
#include <optional>

#include "http_exchange.h"

namespace wsclient::detail {
namespace {

constexpr std::size_t kMaxInFlight = 16;             // messages taken but not yet written
constexpr std::size_t kMaxIncomingBytes = 64 << 20;  // a server message larger than this drops the link
constexpr unsigned kContextFds = 32;                 // a client context holds one link and lws's own pipes
constexpr std::size_t kMaxRefusalBody = 65536;       // a refusal's JSON body is a few hundred bytes

int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);

const lws_protocols kProtocols[] = {{"wsd", callback, 0, 0, 0, nullptr, 0}, {nullptr, nullptr, 0, 0, 0, nullptr, 0}};

}  // namespace

// ---- The link ---------------------------------------------------------------------------

class WsTransport final : public Transport {
 public:
  WsTransport(WsContext& context, const LinkTarget& target, LinkListener& listener)
      : context_(context), target_(target), listener_(listener) {}
  ~WsTransport() override;

  TransportKind kind() const override { return TransportKind::kWebSocket; }
  void open(const std::string& resumeToken) override;
  void setConnId(const std::string& /*connId*/) override {}
  bool canWrite() const override { return established_ && !closeRequested_ && outgoing_.size() < kMaxInFlight; }
  void write(Outgoing item) override;
  void close() override;
  std::vector<Outgoing> takeUnsent() override;
  void service(std::chrono::milliseconds maxWait) override;
  void wake() override {
    lws_cancel_service(context_.get());
    refusalMulti_.wakeup();
  }
  std::string resumeToken() const override { return ""; }

  int handle(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len);
  void onWaitCancelled();

 private:
  int onWritable(lws* wsi);
  int onReceive(lws* wsi, const void* in, std::size_t len);
  void notePeerClose(const void* in, std::size_t len);
  void end(const LinkEnd& end);
  void askWhyRefused(LinkEnd refused);
  void readWhyRefused(std::chrono::milliseconds maxWait);

  WsContext& context_;
  LinkTarget target_;
  LinkListener& listener_;
  std::string path_;
  lws* wsi_ = nullptr;
  bool established_ = false;
  bool closeRequested_ = false;
  bool ended_ = false;
  std::deque<Outgoing> outgoing_;
  std::string rx_;
  std::vector<unsigned char> frame_;
  std::optional<std::pair<int, std::string>> peerClose_;
  // The plain GET asking why the upgrade was refused; the multi is made with the link so
  // that wake() (any thread) never sees it change.
  CurlMulti refusalMulti_;
  std::unique_ptr<HttpExchange> refusalQuery_;  // declared after its multi: destroyed first
  std::string refusalBody_;
  LinkEnd refused_;
};

WsTransport::~WsTransport() {
  if (context_.current() == this) context_.setCurrent(nullptr);
  if (wsi_ == nullptr) return;
  lws* wsi = wsi_;
  wsi_ = nullptr;
  lws_set_opaque_user_data(wsi, nullptr);  // the callbacks of the kill below find no link
  lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_SYNC);
}

void WsTransport::open(const std::string& /*resumeToken*/) {
  context_.setCurrent(this);
  path_ = target_.prefix + "/ws?" + target_.query;
  lws_client_connect_info ci;
  std::memset(&ci, 0, sizeof(ci));
  ci.context = context_.get();
  ci.address = target_.address.c_str();
  ci.port = target_.port;
  ci.path = path_.c_str();
  ci.host = target_.host.c_str();
  ci.origin = target_.host.c_str();
  ci.protocol = "wsd";
  ci.ssl_connection = target_.secure ? LCCSCF_USE_SSL : 0;
  ci.opaque_user_data = this;
  ci.pwsi = &wsi_;
  if (lws_client_connect_via_info(&ci) == nullptr && !ended_) {
    end(LinkEnd{1006, "libwebsockets could not start the connection", 0, {}, true});
  }
}

void WsTransport::write(Outgoing item) {
  outgoing_.push_back(std::move(item));
  if (wsi_ != nullptr) lws_callback_on_writable(wsi_);
}

void WsTransport::close() {
  closeRequested_ = true;
  if (wsi_ != nullptr) lws_callback_on_writable(wsi_);
}

std::vector<Outgoing> WsTransport::takeUnsent() {
  std::vector<Outgoing> unsent(std::make_move_iterator(outgoing_.begin()), std::make_move_iterator(outgoing_.end()));
  outgoing_.clear();
  return unsent;
}

void WsTransport::service(std::chrono::milliseconds maxWait) {
  if (refusalQuery_) return readWhyRefused(maxWait);
  context_.serviceFor(maxWait);
}

// Only a refusal with a status (4xx) has a JSON code to learn; the link ends once it is in.
void WsTransport::askWhyRefused(LinkEnd refused) {
  if (refused.httpStatus < 400 || refused.httpStatus >= 500) return end(refused);
  refused_ = std::move(refused);
  HttpRequest request;
  request.url = target_.origin + path_;
  request.connectTimeout = target_.connectTimeout;
  request.timeout = target_.requestTimeout;
  refusalQuery_ = std::make_unique<HttpExchange>(refusalMulti_, request);
}

// A server that answers the plain GET otherwise (an older one says 426 to any) names no
// cause of this refusal: the link then ends with the status alone.
void WsTransport::readWhyRefused(std::chrono::milliseconds maxWait) {
  refusalMulti_.poll(maxWait);
  refusalMulti_.perform();
  std::string bytes = refusalQuery_->takeBody();
  if (refusalBody_.size() + bytes.size() <= kMaxRefusalBody) refusalBody_ += bytes;
  if (!refusalQuery_->finished() && !closeRequested_) return;
  if (refusalQuery_->status() == refused_.httpStatus) refused_.refusal = decodeHttpError(refusalBody_);
  refusalQuery_.reset();
  end(refused_);
}

void WsTransport::onWaitCancelled() {
  if (wsi_ != nullptr && (!outgoing_.empty() || closeRequested_)) lws_callback_on_writable(wsi_);
}

void WsTransport::end(const LinkEnd& end) {
  if (ended_) return;
  ended_ = true;
  established_ = false;
  if (context_.current() == this) context_.setCurrent(nullptr);
  listener_.onLinkEnded(end, takeUnsent());
}

int WsTransport::handle(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) {
  switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      established_ = true;
      listener_.onLinkActivity();
      listener_.onLinkWritable();
      return 0;
    case LWS_CALLBACK_CLIENT_RECEIVE: return onReceive(wsi, in, len);
    case LWS_CALLBACK_CLIENT_RECEIVE_PONG: listener_.onLinkActivity(); return 0;
    case LWS_CALLBACK_CLIENT_WRITEABLE: return onWritable(wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: notePeerClose(in, len); return 0;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
      wsi_ = nullptr;
      const char* text = static_cast<const char*>(in);
      std::string why = text == nullptr ? "connection error" : std::string(text, len != 0 ? len : strnlen(text, 256));
      const int status = static_cast<int>(lws_http_client_http_response(wsi));
      askWhyRefused(LinkEnd{1006, "WebSocket: " + why, status, {}, true});
      return 0;
    }
    case LWS_CALLBACK_CLIENT_CLOSED: {
      wsi_ = nullptr;
      auto [code, why] = peerClose_.value_or(closeRequested_ ? std::make_pair(1000, std::string("closed by the client"))
                                                             : std::make_pair(1006, std::string("link lost")));
      end(LinkEnd{code, why, 0, {}, false});
      return 0;
    }
    default: return 0;
  }
}

int WsTransport::onReceive(lws* wsi, const void* in, std::size_t len) {
  listener_.onLinkActivity();
  if (lws_frame_is_binary(wsi) || rx_.size() + len > kMaxIncomingBytes) return -1;  // not wsd: drop the link
  rx_.append(static_cast<const char*>(in), len);
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) > 0) return 0;
  std::string message;
  message.swap(rx_);
  listener_.onLinkMessage(message);
  return 0;
}

int WsTransport::onWritable(lws* wsi) {
  if (outgoing_.empty()) {
    if (!closeRequested_) return 0;
    lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, nullptr, 0);
    return -1;
  }
  Outgoing item = std::move(outgoing_.front());
  outgoing_.pop_front();
  frame_.resize(LWS_PRE + item.text.size());
  std::memcpy(frame_.data() + LWS_PRE, item.text.data(), item.text.size());
  // lws buffers what the socket does not take at once; less than the length means failure.
  if (lws_write(wsi, frame_.data() + LWS_PRE, item.text.size(), LWS_WRITE_TEXT) < static_cast<int>(item.text.size())) {
    outgoing_.push_front(std::move(item));
    return -1;
  }
  if (!outgoing_.empty() || closeRequested_) lws_callback_on_writable(wsi);
  listener_.onLinkWritable();
  return 0;
}

void WsTransport::notePeerClose(const void* in, std::size_t len) {
  if (len < 2) return;
  const auto* bytes = static_cast<const unsigned char*>(in);
  peerClose_ = std::make_pair(bytes[0] << 8 | bytes[1], std::string(static_cast<const char*>(in) + 2, len - 2));
}

// ---- The context ------------------------------------------------------------------------

namespace {

int callback(lws* wsi, lws_callback_reasons reason, void* /*user*/, void* in, std::size_t len) {
  if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED) {
    auto* context = static_cast<WsContext*>(lws_context_user(lws_get_context(wsi)));
    if (context != nullptr && context->current() != nullptr) context->current()->onWaitCancelled();
    return 0;
  }
  auto* link = static_cast<WsTransport*>(lws_get_opaque_user_data(wsi));
  return link == nullptr ? 0 : link->handle(wsi, reason, in, len);
}

void timerFired(lws_sorted_usec_list_t* /*sul*/) {}  // only ends the service round

}  // namespace

struct WsContext::Timer {
  lws_sorted_usec_list_t sul;
};

std::unique_ptr<WsContext> WsContext::create(bool tls) {
  // libwebsockets prints notices for every context it makes; an app wants errors only. The
  // level is process-wide: an app that uses libwebsockets itself may set it again later.
  static std::once_flag quiet;
  std::call_once(quiet, [] { lws_set_log_level(LLL_ERR | LLL_WARN, nullptr); });
  auto self = std::unique_ptr<WsContext>(new WsContext(nullptr, tls));
  lws_context_creation_info info;
  std::memset(&info, 0, sizeof(info));
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = kProtocols;
  info.user = self.get();
  info.fd_limit_per_thread = kContextFds;
  info.options = tls ? LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT : 0;
  info.gid = -1;
  info.uid = -1;
  self->context_ = lws_create_context(&info);
  if (self->context_ == nullptr) return nullptr;
  return self;
}

WsContext::WsContext(lws_context* context, bool tls) : context_(context), tls_(tls), timer_(new Timer{}) {}

WsContext::~WsContext() {
  if (context_ == nullptr) return;
  lws_sul_cancel(&timer_->sul);
  lws_context_destroy(context_);
}

void WsContext::serviceFor(std::chrono::milliseconds maxWait) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(maxWait).count();
  lws_sul_schedule(context_, 0, &timer_->sul, timerFired, us < 1000 ? 1000 : us);
  lws_service(context_, 0);
}

std::unique_ptr<Transport> makeWsTransport(WsContext& context, const LinkTarget& target, LinkListener& listener) {
  return std::make_unique<WsTransport>(context, target, listener);
}

}  // namespace wsclient::detail
