// An SSE session: messages go out as `id: <connId>:<seq>` / `data: <json>` events on a
// text/event-stream response. The session outlives its stream for the resume window,
// so an EventSource that reconnects with Last-Event-ID gets the same session back and
// every message after that id, none twice (within the last `sseReplayMessages`). Each
// stream is an SseStream (transport.h).
//
// Threads: gateway thread only.
#pragma once

#include <cstdint>
#include <deque>

#include "gateway/clock.h"
#include "gateway/gateway_options.h"
#include "gateway/sessions/output_budget.h"
#include "gateway/sessions/session.h"
#include "gateway/sessions/session_end.h"
#include "gateway/sessions/transport.h"

namespace wsd {

class SseSession final : public Session {
 public:
  // `options` (resume window, replay length, keep-alive) and `budget` (its per-session
  // bytes bound the resume window too) outlive the session; `end` is how it ends itself.
  SseSession(SessionIdentity identity, RateLimiter limiter, const GatewayOptions& options, const OutputBudget& budget,
             SessionEnd end, Clock clock = wallClockMs)
      : Session(std::move(identity), limiter),
        options_(options),
        budget_(budget),
        end_(std::move(end)),
        clock_(std::move(clock)) {}

  void enqueue(server_message::Text message) override;
  void close(int code, const std::string& reason) override;
  // The messages the stream has not written; the resume window goes too.
  std::vector<server_message::Text> takeUndelivered() override;

  // A stream (re)connected; it has seen every message up to `lastSeq` (0: none). The
  // session uses `stream` until detach(stream) (its request's end) or the next attach.
  void attach(SseStream* stream, std::uint64_t lastSeq);
  // Whether a stream is attached now (a resume of a live stream replaces it).
  SseStream* stream() const { return stream_; }
  // The stream went away. May end (and destroy) the session.
  void detach(SseStream* stream, std::int64_t nowMs);
  // The stream is writable: writes pending events, and says whether the stream ends.
  AfterWrite onWritable();
  // Resume window and keep-alive comments. May end (and destroy) the session.
  void onTick(std::int64_t nowMs) override;

  static std::string eventId(const std::string& conn, std::uint64_t seq);

 private:
  void dropOldest();
  // Keeps the resume window within sseReplayMessages and half the session's byte budget,
  // never dropping what the stream has not written.
  void trimWritten();

  const GatewayOptions& options_;
  const OutputBudget& budget_;
  SessionEnd end_;
  Clock clock_;
  std::deque<std::pair<std::uint64_t, server_message::Text>> recent_;
  std::uint64_t nextSeq_ = 1;
  std::uint64_t written_ = 0;  // highest seq written to the current stream
  SseStream* stream_ = nullptr;
  std::int64_t detachedAtMs_ = 0;
  std::int64_t lastWriteMs_ = 0;
  bool keepalivePending_ = false;
  bool finished_ = false;  // the `closed` message is out: end the stream
  int closeCode_ = 1000;
  std::string closeReason_;
};

}  // namespace wsd
