// What a session needs of the connection under it, one small interface per transport.
// The sessions (ws_session, sse_session, poll_session) keep every protocol rule: what is
// queued, when it is written, how a close is announced, when a timeout ends them. These
// interfaces are the bytes-and-sockets part only; net/ implements them on its
// connections, and the unit tests on fakes that record what a session asked for.
//
// Threads: gateway thread only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wsd {

// What a session tells the connection after a writable turn: stay open, or close now
// (with the close frame, if one was set, or none).
enum class AfterWrite { kKeepOpen, kClose };

// A WebSocket connection.
class WsTransport {
 public:
  virtual ~WsTransport() = default;

  // Bytes the connection needs in front of whatever it writes (it writes its own headers
  // in place there); a session frames its messages after that many bytes.
  virtual std::size_t headroom() const = 0;
  // Writes whole frames, framed by the session (`buffer` begins with headroom() bytes of
  // room): the uncompressed path, where every queued message leaves in one send. What the
  // socket does not take, the connection keeps and sends first (holdsOutput). False if
  // the connection failed.
  virtual bool writeFrames(std::vector<unsigned char>& buffer) = 0;
  // Writes one text message, framed (and compressed) by the connection: the
  // permessage-deflate path. False if the connection failed.
  virtual bool writeText(std::string_view message) = 0;
  // True while the socket would not take another write now.
  virtual bool choked() const = 0;
  // True while the connection keeps output an earlier write left unsent: a session
  // writes nothing more, and sends no close frame, until it has gone.
  virtual bool holdsOutput() const = 0;
  // Asks for a writable turn (WsSession::onWritable) as soon as the socket takes more.
  virtual void askWritable() = 0;
  // The close frame the connection sends when the session answers AfterWrite::kClose.
  virtual void setCloseFrame(int code, const std::string& reason) = 0;
  // Ends a connection whose write failed outside its own writable turn (a session cannot
  // answer kClose there); it goes once the current callback is over.
  virtual void dropSoon() = 0;
  // Starts loading into the cache what the next write will read of the connection (a
  // hint: no effect on what happens). PendingWrites::flush, a few sessions ahead.
  virtual void prefetchForWrite() const {}
};

// An SSE stream: the open response of one GET /sse, which a session writes events to. A
// session outlives its streams (a client resumes with Last-Event-ID); the stream object
// lives as long as its request.
class SseStream {
 public:
  virtual ~SseStream() = default;
  // Writes part of the streamed body. False if the connection failed.
  virtual bool write(std::string_view chunk) = 0;
  // Asks for a writable turn (SseSession::onWritable).
  virtual void askWritable() = 0;
  // True once the client closed its side: the stream is not read, so its hang-up is
  // noticed only by asking (net/http.h, peerHungUp).
  virtual bool peerHungUp() = 0;
  // Ends the connection from outside its callbacks; the session is told (detach) when it
  // is gone.
  virtual void closeSoon() = 0;
};

// A held GET /poll: answered once, with a JSON array of messages.
class PollRequest {
 public:
  virtual ~PollRequest() = default;
  // Answers 200 with `jsonArray` as the body, when the connection is next writable.
  virtual void answer(std::string jsonArray) = 0;
  // The request is answered with the session's messages: its end no longer concerns the
  // session (PollSession::release is not called for it).
  virtual void forgetSession() = 0;
  // As SseStream::peerHungUp and closeSoon.
  virtual bool peerHungUp() = 0;
  virtual void closeSoon() = 0;
};

}  // namespace wsd
