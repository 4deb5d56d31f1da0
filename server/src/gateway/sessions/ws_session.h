// A WebSocket session: messages go out as text frames, as fast as the socket takes them;
// a server-side close sends a close frame with code and reason after what is queued.
// Without compression, the messages queued since the last write leave together, framed
// here, in one send (ws_frames.h); with permessage-deflate, the connection frames (and
// compresses) them one at a time. The socket is behind a WsTransport (transport.h).
//
// Threads: gateway thread only.
#pragma once

#include <memory>

#include "gateway/clock.h"
#include "gateway/net/outbound_queue.h"
#include "gateway/net/pending_writes.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/transport.h"

namespace wsd {

class WsSession final : public Session {
 public:
  // `compressed`: the connection negotiated permessage-deflate. The session owns its
  // transport; `pending` lists it for a write at the end of the current callback.
  WsSession(SessionIdentity identity, RateLimiter limiter, std::unique_ptr<WsTransport> transport,
            PendingWrites& pending, bool compressed, Clock clock = wallClockMs)
      : Session(std::move(identity), limiter),
        transport_(std::move(transport)),
        pending_(pending),
        compressed_(compressed),
        clock_(std::move(clock)) {}
  ~WsSession() override;
  WsSession(const WsSession&) = delete;
  WsSession& operator=(const WsSession&) = delete;

  void enqueue(server_message::Text message) override;
  void close(int code, const std::string& reason) override;
  void onTick(std::int64_t nowMs) override;
  std::vector<server_message::Text> takeUndelivered() override;

  // The socket is writable: writes what it can, and says whether the connection closes.
  AfterWrite onWritable();
  // PendingWrites::flush: writes what was queued during the callback, unless the socket
  // is still sending an earlier write (then it waits to be writable).
  void writeNow();
  // What writeNow() reads, loaded into the cache in stages ahead of it (PendingWrites::
  // flush): the session, then its queue's front and its transport, then the transport's
  // connection. Each stage reads only what the one before loaded, so none waits on memory.
  enum class PrefetchStage { kSession, kQueueAndTransport, kConnection };
  void prefetchForWrite(PrefetchStage stage) const;
  // The close code to record when the socket is gone (the server's, the peer's, or 1006).
  int closeCode() const { return closeCode_; }
  const std::string& closeReason() const { return closeReason_; }
  // The server closes at once, without a close() round trip (oversized or binary frame).
  void noteAbort(int code, const std::string& reason) { closing = true, closeCode_ = code, closeReason_ = reason; }
  void notePeerClose(int code) {
    if (!closing) closeCode_ = code, closeReason_ = "closed by client";
  }

 private:
  // Writes queued messages: without compression, all of them (up to kMostBytesPerWrite)
  // in one send; with it, one message per write while the socket takes them. False if
  // the connection failed.
  bool writeQueued();
  bool writeFramedHere();
  bool writeFramedByTransport();
  void popWritten();  // the front message is written: its bytes are released

  std::unique_ptr<WsTransport> transport_;
  PendingWrites& pending_;
  bool compressed_;
  Clock clock_;
  bool writePending_ = false;  // listed in pending_
  OutboundQueue queue_;
  bool closeFramePending_ = false;
  // The close frame waits a moment after the last queued message. A client still sending
  // when it arrives (a flood) would have the connection dropped with unread input,
  // a TCP reset that discards our last messages (the `error` saying why) on its side.
  static constexpr std::int64_t kLingerMs = 200;
  std::int64_t closeAfterMs_ = 0;
  int closeCode_ = 1006;
  std::string closeReason_ = "connection lost";
  // One write's bytes, kept small: what a socket does not take at once, the connection
  // keeps and sends before it reports the socket writable again.
  static constexpr std::size_t kMostBytesPerWrite = 64 * 1024;
};

}  // namespace wsd
