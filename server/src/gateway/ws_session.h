// A WebSocket session: messages go out as text frames, one per message, as fast as the
// socket takes them; a server-side close sends a close frame with code and reason after
// what is queued.
//
// Threads: gateway thread only.
#pragma once

#include <deque>
#include <optional>

#include "gateway/gateway_context.h"

namespace wsd {

class WsSession final : public Session {
 public:
  WsSession(SessionIdentity identity, RateLimiter limiter, lws* wsi, std::size_t maxQueued)
      : Session(std::move(identity), limiter), wsi_(wsi), maxQueued_(maxQueued) {}

  void enqueue(server_message::Text message) override;
  void close(int code, const std::string& reason) override;
  void onTick(std::int64_t nowMs) override;

  // LWS_CALLBACK_SERVER_WRITEABLE: writes what it can; -1 asks libwebsockets to close.
  int onWritable();
  // The close code to record when the socket is gone (the server's, the peer's, or 1006).
  int closeCode() const { return closeCode_; }
  const std::string& closeReason() const { return closeReason_; }
  // The server closes at once, without a close() round trip (oversized or binary frame).
  void noteAbort(int code, const std::string& reason) { closing = true, closeCode_ = code, closeReason_ = reason; }
  void notePeerClose(int code) {
    if (!closing) closeCode_ = code, closeReason_ = "closed by client";
  }

 private:
  lws* wsi_;
  std::size_t maxQueued_;
  std::deque<server_message::Text> queue_;
  bool closeFramePending_ = false;
  // The close frame waits a moment after the last queued message. A client still sending
  // when it arrives (a flood) would make libwebsockets drop the socket with unread input,
  // a TCP reset that discards our last messages (the `error` saying why) on its side.
  static constexpr std::int64_t kLingerMs = 200;
  std::int64_t closeAfterMs_ = 0;
  int closeCode_ = 1006;
  std::string closeReason_ = "connection lost";
  std::vector<unsigned char> frame_;  // reused: LWS_PRE headroom + payload
};

}  // namespace wsd
