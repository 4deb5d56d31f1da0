// The engine: the body of a client's I/O thread. It owns the current transport and runs
// the session's life: a connection round tries the transports in order (fallback), a lost
// link waits out a backoff delay and starts another round (reconnect), a new session gets
// its bind and rooms back (restore) before the outbound queue flows again, pings are
// answered, silence is a dead link, and close() drains the queue then ends the link.
//
// Locality: the I/O thread only; it talks to callers through SharedState.
// Files: engine.cpp (loop, timers, writing, close), engine_link.cpp (rounds, fallback,
// reconnect), engine_messages.cpp (what arrives, sessions coming up).
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backoff.h"
#include "link_watch.h"
#include "query_book.h"
#include "recent_ids.h"
#include "server_messages.h"
#include "server_url.h"
#include "shared_state.h"
#include "transport.h"
#include "ws_transport.h"

namespace wsclient::detail {

class Engine final : private LinkListener {
 public:
  Engine(const Options& options, const Handlers& handlers, SharedState& shared, const ServerUrl& url);
  ~Engine() override;
  // Runs until the client is closed for good.
  void run();

 private:
  // ---- engine.cpp: the loop ----
  void takeIntake();
  void runTimers(Clock::time_point now);
  Clock::time_point nextDeadline(Clock::time_point now) const;
  void pump();
  void remember(const Outgoing& item);
  void beginClose();
  void maybeSendClose();
  void finishClose(const LinkEnd& end, bool wasConnected);
  void closeForGood(const LinkEnd& end, bool wasConnected);
  void drainOnExit();
  void setState(State state);
  void emitDisconnected(const LinkEnd& end, bool wasConnected, bool willReconnect, std::chrono::milliseconds retryIn);

  // ---- engine_link.cpp: connecting ----
  void beginRound();
  void startTransport();
  std::unique_ptr<Transport> makeTransport(TransportKind kind);
  void attemptFailed(const LinkEnd& end);
  bool fatalRefusal(const LinkEnd& end) const;
  void scheduleReconnect(const LinkEnd& end, bool wasConnected);
  void dropLink(const LinkEnd& end);
  void handleLinkEnd(LinkEnd end, std::vector<Outgoing> unsent);
  void requeue(std::vector<Outgoing> unsent);

  // ---- engine_messages.cpp: what arrives ----
  void sessionUp(const std::string& connId, bool resumed, std::string raw);
  void queueRestore();
  void sendSdk(std::string text);
  void sendPing();
  void onPong();
  bool takeDirect(const Direct& direct);
  void flushAcks();
  bool takeRoomEvent(const ServerEvent& event);
  void onJoinReply(const RoomEvent& reply);
  void onRoomSent(const RoomSendResult& result);
  void onRoomHistory(const RoomHistoryPage& page);
  void onLinkResumed(const std::string& connId) override;
  void onLinkMessage(std::string_view json) override;
  void onLinkActivity() override;
  void onLinkWritable() override { pump(); }
  void onLinkRejected(Outgoing item, int httpStatus, const HttpError& error) override;
  void onLinkEnded(const LinkEnd& end, std::vector<Outgoing> unsent) override;

  const Options& options_;
  const Handlers& handlers_;
  SharedState& shared_;
  LinkTarget target_;

  State state_ = State::kIdle;
  std::unique_ptr<WsContext> ws_;
  std::unique_ptr<Transport> link_;
  std::vector<std::unique_ptr<Transport>> retired_;  // ended links, destroyed after service()
  bool sessionUp_ = false;                           // `connected` (or a resume) on link_
  bool everConnected_ = false;
  std::string connId_;
  std::optional<TransportKind> lastWorked_;
  std::string resumeToken_;  // the last session's, for a new link of resumeKind_
  TransportKind resumeKind_ = TransportKind::kWebSocket;
  std::optional<ClosedNotice> closedNotice_;  // SSE/poll: the server's `closed`, before the link ends

  std::vector<TransportKind> round_;
  std::size_t roundIndex_ = 0;
  Backoff backoff_;
  LinkWatch watch_;

  std::optional<Clock::time_point> connectDeadline_;
  std::optional<Clock::time_point> reconnectAt_;
  std::optional<Clock::time_point> closeDeadline_;
  bool closing_ = false;
  bool barrierSent_ = false;  // WebSocket close: the final ping is out (see maybeSendClose)
  bool closeSent_ = false;
  int pingsOut_ = 0;  // pings written on this link and not answered yet

  std::deque<std::string> sdkQueue_;       // pongs, pings, restore messages: before the app's
  std::string boundUid_;                   // last bind written: restored on new sessions
  std::string bindText_;                   // that bind as written (with its signature, if any)
  std::vector<std::string> unsubscribed_;  // the filter as the server last confirmed it
  RecentIds recentIds_;                    // Direct ids seen lately (Options::dedupeWindow)
  std::vector<std::string> acksDue_;       // AckMode::kAuto: ids to acknowledge after this service()
  std::vector<std::string> rooms_;         // rooms joined or created and not left, in join order
  // Joins written on this link and not answered yet, oldest first: the answer of a join
  // from a position keeps that position (RoomPositions::joined), and a re-join's answer
  // that could not recover is reported (Handlers::onRoomRecoveryFailed).
  struct JoinOut {
    std::string roomId;
    std::optional<RoomPosition> since;
    bool restore = false;  // a re-join made by the SDK for a new session
  };
  std::deque<JoinOut> joinsOut_;
  QueryBook queries_;
};

}  // namespace wsclient::detail
