// One client connection to wsd, over WebSocket or SSE, on wsbench's event loop: a
// non-blocking socket bound to a chosen 127.x source address (so a run is not capped by
// one address's ephemeral ports), the HTTP handshake, and whole server messages handed
// to `onMessage`. Pings are answered here. SSE connections only receive.
//
// Lifetime: a Connection must stay where it is (it registers itself with the loop) and
// alive until the loop stops running; closing only unregisters it.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "event_loop.h"
#include "ws_codec.h"

namespace wsbench {

enum class Transport { kWs, kSse };

class Connection {
 public:
  struct Target {
    sockaddr_in server{};
    std::string host;  // Host header
    std::string path;  // with the query: /ws?project=...&token=...&mode=short
  };
  std::function<void(std::string_view json)> onMessage;
  std::function<void(const std::string& why)> onClose;

  Connection(EventLoop& loop, Transport transport) : loop_(loop), transport_(transport) {}
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts connecting from `source`; false (with `error`) when the socket cannot be made.
  bool start(const Target& target, in_addr source, std::string& error);
  // Queues a text message (WebSocket only); written as the socket allows.
  void send(std::string_view json);
  bool established() const { return state_ == State::kOpen; }
  bool closed() const { return state_ == State::kClosed; }
  void close(const std::string& why);

 private:
  enum class State { kConnecting, kHandshake, kOpen, kClosed };
  void onEvents(std::uint32_t events);
  void readAll();
  void flush();
  void watch(bool wantWrite);
  void onHandshakeBytes();
  void onWsBytes(std::string_view bytes);
  void onSseBytes(std::string_view bytes);
  void onSseBody(std::string_view body);

  EventLoop& loop_;
  Transport transport_;
  State state_ = State::kConnecting;
  int fd_ = -1;
  EventLoop::Handler handler_;
  std::string out_;
  std::size_t outOffset_ = 0;
  bool watchingWrite_ = false;
  std::string in_;  // handshake bytes, then (SSE) undecoded body
  FrameParser frames_;
  bool sseChunked_ = false;
  std::string sseEvents_;  // decoded SSE body not yet split into events
  std::uint32_t mask_ = 0x5a17c3e9;
};

}  // namespace wsbench
