// The gateway's network side: one libwebsockets context serving WebSocket, SSE, long
// polling, the admin API and its event stream, health checks and the dashboard on one
// port, plus the periodic tick that drives heartbeats and transport timeouts. This is
// where bytes meet the network.
//
// Threads: everything here runs on the serving loop's thread, in its libevent loop (which
// libwebsockets registers its sockets and timers in, beside the log's, Redis's and the
// Kafka queues' events), except wake(), which the signal handler calls.
#pragma once

#include <event2/event.h>
#include <libwebsockets.h>

#include <atomic>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "gateway/clock.h"
#include "gateway/cluster/change_acks.h"
#include "gateway/cluster/node_liveness.h"
#include "gateway/cluster/node_sightings.h"
#include "gateway/gateway_context.h"
#include "gateway/net/connection_state.h"
#include "gateway/net/http_exchanges.h"
#include "gateway/routes/admin_stream.h"
#include "gateway/routes/gateway_routes.h"
#include "gateway/routes/mail_route.h"
#include "gateway/sessions/session_directory.h"
#include "gateway/sessions/token_expiry_watch.h"

namespace wsd {

class GatewayServer {
 public:
  // Before the pipeline starts: it observes applied events (change_acks.h). `directory`
  // says where the sessions requests name may be (session_directory.h); the server drives
  // it from its loop. `loop` is the serving loop, which libwebsockets joins as a foreign
  // loop. Both must outlive this.
  GatewayServer(GatewayContext& ctx, SessionDirectory& directory, event_base* loop)
      : ctx_(ctx),
        directory_(directory),
        streams_{ctx, directory},
        liveness_(ctx, sightings_),
        changeAcks_(ctx, sightings_),
        mail_(ctx, exchanges_),
        adminStream_(ctx),
        routes_(gatewayRoutes(streams_, mail_, adminStream_)),
        loop_(loop) {
    ctx_.exchanges = &exchanges_;
    ctx_.changeAcks = &changeAcks_;
    sightings_.seed(ctx_.state.nodes(), wallClockMs());
    ctx_.pipeline.observe([this](const Event& event, const Effects& effects) {
      sightings_.observe(event, wallClockMs());
      if (effects.rejection) return;  // a refused change changes nothing to enforce
      changeAcks_.observe(event);
      if (event.type == EventType::kTokenIssue || event.type == EventType::kTokenUpdate) tokenExpiry_.tokensChanged();
    });
  }
  ~GatewayServer();
  GatewayServer(const GatewayServer&) = delete;
  GatewayServer& operator=(const GatewayServer&) = delete;

  // Creates the context and starts listening; fails with what to change.
  Status listen();
  int port() const { return port_; }
  // The smallest WebSocket message worth compressing (gateway/net/ws_compression.h).
  std::size_t deflateThreshold() const { return ctx_.options.wsDeflateThreshold; }
  // Serves until `stop` is set (and wake() called).
  void run(const std::atomic<bool>& stop);
  // After run(): closes every connection, so that their sessions' ends are appended while
  // the log still takes appends (the loop need not run).
  void closeConnections();
  // Ends the loop's wait, so that a pass sees `stop`. Async-signal safe (it writes
  // libwebsockets' cancel pipe).
  void wake();
  // Has the end of the current loop pass (or of the next, if none is running) apply what
  // the log committed and run what Redis answered, then write to clients. The loop's
  // thread only: this is how the log's and Redis's callbacks reach the sessions.
  void applySoon();

 private:
  static int onCallback(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);
  void afterCallback();
  void endPassSoon();
  void onPassEnd();
  int handle(lws* wsi, lws_callback_reasons reason, void* user, void* in, std::size_t len);
  int onUpgradeRequest(lws* wsi);
  int onEstablished(lws* wsi, PerConnection& pc);
  int onReceive(lws* wsi, PerConnection& pc, const char* data, std::size_t len);
  void onPeerClose(PerConnection* pc, unsigned char* payload, std::size_t len);
  void onWsClosed(lws* wsi, PerConnection& pc);
  int onHttpRequest(lws* wsi, PerConnection& pc, const char* path);
  int onHttpBody(lws* wsi, PerConnection& pc, const char* data, std::size_t len);
  int dispatch(lws* wsi, HttpState& state);
  int onHttpWritable(lws* wsi, PerConnection& pc);
  void releaseHttp(lws* wsi, PerConnection& pc);
  void scheduleTick();
  void tick();
  // Closes the sessions whose token expired (close 4xxx token_expired).
  void closeExpiredTokens(std::int64_t now);

  GatewayContext& ctx_;
  SessionDirectory& directory_;
  StreamRoutes streams_;
  HttpExchanges exchanges_;
  NodeSightings sightings_;  // before the two that read it
  NodeLiveness liveness_;
  ChangeAcks changeAcks_;
  MailRoute mail_;
  AdminStream adminStream_;
  RouteTable routes_;  // every HTTP route but the WebSocket upgrade (gateway_routes.h)
  // Upgrades that passed the check, until ESTABLISHED (libwebsockets may give the wsi new
  // per-connection memory across the upgrade, so this is kept here, by wsi).
  std::unordered_map<lws*, Admitted> admittedUpgrades_;
  // The serving loop. libwebsockets runs on it as a foreign loop: it adds its own events;
  // the owner (app/node.cpp) frees it after this.
  event_base* loop_ = nullptr;
  void* foreignLoops_[1] = {nullptr};
  // Active while the loop pass has callbacks left to run; it runs after them (libevent
  // runs an event activated during a pass behind those already due).
  event* passEnd_ = nullptr;
  const std::atomic<bool>* stop_ = nullptr;
  lws_context* context_ = nullptr;
  // The tick's timer, with a way back to us (libwebsockets hands the callback only this).
  struct TickTimer {
    lws_sorted_usec_list_t sul;
    GatewayServer* owner;
  };
  TickTimer tickTimer_{{}, this};
  std::int64_t lastTokenSweepMs_ = 0;
  TokenExpiryWatch tokenExpiry_;
  int port_ = 0;
};

}  // namespace wsd
