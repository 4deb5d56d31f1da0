// The WebSocket actor: a libwebsockets client context of its own, serviced on its own
// thread. Sends are queued by the case's thread and written when the socket is writable.
#include <libwebsockets.h>

#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "actor.h"

namespace wsconform {
namespace {

using namespace std::chrono_literals;

struct Target {
  bool tls = false;
  std::string host;
  int port = 80;
};

Target parseBase(const std::string& baseUrl) {
  Target t;
  std::string rest = baseUrl;
  if (rest.rfind("https://", 0) == 0)
    t.tls = true, rest = rest.substr(8), t.port = 443;
  else if (rest.rfind("http://", 0) == 0)
    rest = rest.substr(7);
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    t.port = std::stoi(rest.substr(colon + 1));
    rest.resize(colon);
  }
  t.host = rest;
  return t;
}

class WsActor final : public Actor {
 public:
  ~WsActor() override { disconnect(); }

  std::optional<Refusal> connect(const Endpoint& endpoint, std::chrono::milliseconds timeout) override {
    static const lws_protocols protocols[] = {{"wsconform", &WsActor::callback, 0, 65536, 0, nullptr, 0},
                                              {nullptr, nullptr, 0, 0, 0, nullptr, 0}};
    lws_context_creation_info info;
    std::memset(&info, 0, sizeof(info));
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.user = this;
    info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    // A case's own Origin is sent as given; the default stays libwebsockets' "http://<host>".
    if (!endpoint.origin.empty()) info.options |= LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN;
    context_ = lws_create_context(&info);
    if (context_ == nullptr) return Refusal{0, "", "cannot create a client context"};

    const Target target = parseBase(endpoint.baseUrl);
    path_ = "/ws?" + endpointQuery(endpoint);
    host_ = target.host;
    lws_client_connect_info ci;
    std::memset(&ci, 0, sizeof(ci));
    ci.context = context_;
    ci.address = host_.c_str();
    ci.port = target.port;
    ci.path = path_.c_str();
    ci.host = host_.c_str();
    origin_ = endpoint.origin.empty() ? host_ : endpoint.origin;
    ci.origin = origin_.c_str();
    ci.ssl_connection = target.tls ? LCCSCF_USE_SSL : 0;
    ci.pwsi = &wsi_;
    ci.userdata = this;
    if (lws_client_connect_via_info(&ci) == nullptr) return Refusal{0, "", "connect failed"};
    thread_ = std::thread([this] {
      while (!stop_) lws_service(context_, 0);
    });
    if (awaitConnected(timeout)) return std::nullopt;
    std::lock_guard lock(mutex_);
    return Refusal{refusedStatus_, "", refusal_.empty() ? "no connected message" : refusal_};
  }

  HttpResult send(const std::string& text) override {
    {
      std::lock_guard lock(mutex_);
      outgoing_.push_back(text);
    }
    lws_cancel_service(context_);
    return HttpResult{200, "", "", {}};
  }

  void disconnect() override {
    if (context_ == nullptr) return;
    {
      std::lock_guard lock(mutex_);
      closeRequested_ = true;
    }
    lws_cancel_service(context_);
    // Give the close handshake a moment, then stop regardless.
    inbox_.waitClosed(1s);
    stop_ = true;
    lws_cancel_service(context_);
    if (thread_.joinable()) thread_.join();
    lws_context_destroy(context_);
    context_ = nullptr;
  }

 private:
  static int callback(lws* wsi, lws_callback_reasons reason, void* /*user*/, void* in, std::size_t len) {
    auto* self = static_cast<WsActor*>(lws_context_user(lws_get_context(wsi)));
    return self == nullptr ? 0 : self->handle(wsi, reason, in, len);
  }

  int handle(lws* wsi, lws_callback_reasons reason, void* in, std::size_t len) {
    switch (reason) {
      case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
        std::lock_guard lock(mutex_);
        refusal_ = in != nullptr ? std::string(static_cast<const char*>(in), len) : "connection error";
        refusedStatus_ = static_cast<long>(lws_http_client_http_response(wsi));
        inbox_.closed(CloseInfo{1006, refusal_});
        wsi_ = nullptr;
        return 0;
      }
      case LWS_CALLBACK_CLIENT_RECEIVE:
        rx_.append(static_cast<const char*>(in), len);
        if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
          auto doc = std::make_shared<rapidjson::Document>();
          doc->Parse(rx_.c_str(), rx_.size());
          rx_.clear();
          inbox_.push(doc);
        }
        return 0;
      case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (len >= 2) {
          const auto* bytes = static_cast<const unsigned char*>(in);
          peerClose_ = CloseInfo{bytes[0] << 8 | bytes[1], std::string(static_cast<const char*>(in) + 2, len - 2)};
        }
        return 0;
      case LWS_CALLBACK_CLIENT_CLOSED:
        inbox_.closed(peerClose_.value_or(CloseInfo{1006, "connection lost"}));
        wsi_ = nullptr;
        return 0;
      case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
        if (wsi_ != nullptr) lws_callback_on_writable(wsi_);
        return 0;
      case LWS_CALLBACK_CLIENT_WRITEABLE: return writeQueued(wsi);
      default: return 0;
    }
  }

  int writeQueued(lws* wsi) {
    std::deque<std::string> batch;
    bool close = false;
    {
      std::lock_guard lock(mutex_);
      batch.swap(outgoing_);
      close = closeRequested_;
    }
    for (const auto& text : batch) {
      std::vector<unsigned char> frame(LWS_PRE + text.size());
      std::memcpy(frame.data() + LWS_PRE, text.data(), text.size());
      if (lws_write(wsi, frame.data() + LWS_PRE, text.size(), LWS_WRITE_TEXT) < 0) return -1;
    }
    if (close) {
      lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, nullptr, 0);
      return -1;
    }
    return 0;
  }

  lws_context* context_ = nullptr;
  lws* wsi_ = nullptr;
  std::string path_, host_, origin_, rx_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;  // guards outgoing_, closeRequested_, refusal_
  std::deque<std::string> outgoing_;
  bool closeRequested_ = false;
  std::string refusal_;
  long refusedStatus_ = 0;
  std::optional<CloseInfo> peerClose_;
};

}  // namespace

std::unique_ptr<Actor> makeHttpActor(const std::string& transport);

std::unique_ptr<Actor> makeActor(const std::string& transport) {
  if (transport == "ws") return std::make_unique<WsActor>();
  return makeHttpActor(transport);
}

}  // namespace wsconform
