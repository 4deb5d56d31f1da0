// GET /admin/events?project=P: an operator's live tail of one project's event log, as
// text/event-stream, behind the admin token (the dashboard's live view reads it with
// fetch(), since EventSource cannot send an Authorization header). First an `event: ready`,
// then every event of P this gateway applies, in log order, as `id: <event id>` /
// `data: <the event's JSON, Event::encode()>`; a `: keepalive` comment when quiet for a
// heartbeat interval. History is not replayed: the stream starts at the live end.
//
// Bounded: each reader has at most kMaxPendingBytes waiting to be written; a reader that
// falls further behind is dropped (its connection closed), never buffered for ever.
//
// Threads: gateway thread only (the observer runs where events are applied).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/http_request.h"
#include "gateway/gateway_context.h"
#include "gateway/net/connection_handle.h"

namespace wsd {

class AdminStream {
 public:
  // Bytes a reader may have waiting; more and it is dropped.
  static constexpr std::size_t kMaxPendingBytes = std::size_t{4} << 20;

  explicit AdminStream(GatewayContext& ctx);

  // A GET (routes/gateway_routes.cpp): answers a refusal now, or starts the stream.
  // Returns the libwebsockets result.
  int open(lws* wsi, const HttpRequest& request);
  // Whether `wsi` is a stream of ours (then its WRITEABLE callbacks are ours too).
  bool holds(lws* wsi) const { return readers_.contains(wsi); }
  // Writes what waits (up to 64 KiB a call); -1 ends a dropped stream.
  int onWritable(lws* wsi);
  // The connection is gone. Safe for any wsi.
  void release(lws* wsi) { readers_.erase(wsi); }
  // Keep-alives and hang-ups. O(readers); from the gateway's tick.
  void tick(std::int64_t nowMs);
  std::size_t readers() const { return readers_.size(); }

 private:
  struct Reader {
    std::string project;
    std::string pending;      // bytes not yet handed to the socket start at `written`
    std::size_t written = 0;  // compacted away once it is half of `pending`
    std::size_t waiting() const { return pending.size() - written; }
    std::int64_t lastWriteMs = 0;
    bool dropped = false;
  };
  enum class Queued { kQueued, kDropped };

  void onApplied(const Event& event);
  Queued queue(lws* wsi, Reader& reader, std::string_view chunk);

  GatewayContext& ctx_;
  std::unordered_map<lws*, Reader> readers_;
};

}  // namespace wsd
