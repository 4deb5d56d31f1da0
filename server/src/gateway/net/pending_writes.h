// The WebSocket sessions that were given messages during the current libwebsockets
// callback. The server writes them when the callback is done (GatewayServer::
// afterCallback), rather than asking the loop to report each socket writable first:
// a message goes out one loop pass sooner, without the poll(2) and callback that the
// round trip costs per socket, and a session given several messages in one pass (a
// burst of events, a fan-out) sends them all in one send(2).
//
// Invariant: a session is listed at most once, and a listed session that ends before
// the flush takes itself off the list (WsSession's destructor), so flush() never
// touches a freed session.
//
// Threads: gateway thread only.
#pragma once

#include <cstddef>
#include <vector>

namespace wsd {

class WsSession;

class PendingWrites {
 public:
  void add(WsSession* session) { sessions_.push_back(session); }
  void remove(WsSession* session);
  // Writes what each listed session has queued, and empties the list.
  void flush();

 private:
  void prefetchAhead(std::size_t i) const;  // flushing_[i + 1..3], in stages

  std::vector<WsSession*> sessions_;
  std::vector<WsSession*> flushing_;  // reused: the list being written
};

}  // namespace wsd
