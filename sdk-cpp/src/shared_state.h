// What the caller threads and the I/O thread share, behind one lock: the outbound queue,
// new queries, the close request, the state snapshots, and how to wake the I/O thread.
//
// Locality: marked per method. The lock is held only for short, non-blocking work; no
// handler ever runs under it, so handlers may call back into the Client.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "outbound_queue.h"
#include "room_positions.h"
#include "transport.h"

namespace wsclient::detail {

class SharedState {
 public:
  explicit SharedState(const Options& options) : queue_(options.maxQueued, options.overflow) {}

  // ---- Any thread ----
  // Queues an app message (and registers its query, if any); wakes the I/O thread.
  SendStatus enqueue(Outgoing item);
  // close(): true the first time.
  bool requestClose();
  State state() const;
  std::string connId() const;
  TransportKind transport() const;
  std::size_t queued() const;
  // Until the state is kClosed; false on timeout.
  bool waitClosed(std::chrono::milliseconds timeout);
  // The last position seen in a joined room (see RoomPositions).
  std::optional<RoomPosition> roomPosition(const std::string& roomId) const;

  // ---- The I/O thread (or, before it exists, the thread that calls connect()/close()) ----
  struct Intake {
    std::vector<Outgoing> dropped;  // pushed out by OverflowPolicy::kDropOldest
    std::vector<std::shared_ptr<PendingQuery>> queries;
    bool close = false;
  };
  Intake takeIntake();
  std::optional<Outgoing> pop();
  void requeueFront(std::vector<Outgoing> items);
  std::vector<Outgoing> takeAll();
  bool queueEmpty() const;
  void publishState(State state);
  void publishSession(const std::string& connId, TransportKind transport);
  // The room positions (RoomPositions::joined, advance, forget), kept here so that
  // Client::roomPosition() reads them from any thread.
  void roomJoined(const RoomEvent& reply, const std::optional<RoomPosition>& since);
  bool advanceRoom(const std::string& roomId, std::int64_t offset, const std::string& epoch);
  void forgetRoom(const std::string& roomId);
  // The link whose wake() the callers use (nullptr: none, the I/O thread waits in wait()).
  // Set to nullptr before that link is destroyed.
  void setWaker(Transport* link);
  // No link: sleeps until woken (new work) or `deadline`.
  void wait(std::chrono::steady_clock::time_point deadline);

 private:
  void wakeLocked();

  mutable std::mutex mutex_;
  std::condition_variable workCv_;   // the I/O thread waits here when it has no link
  std::condition_variable stateCv_;  // waitClosed() waits here
  OutboundQueue queue_;
  std::vector<Outgoing> dropped_;
  std::vector<std::shared_ptr<PendingQuery>> newQueries_;
  bool closeRequested_ = false;
  bool closeTaken_ = false;
  bool woken_ = false;
  Transport* waker_ = nullptr;
  State state_ = State::kIdle;
  std::string connId_;
  TransportKind transport_ = TransportKind::kWebSocket;
  RoomPositions rooms_;
};

}  // namespace wsclient::detail
