// Records everything a Client reports, for tests to wait on: each handler appends under
// one lock and notifies; waitUntil() waits (with a generous deadline) for a condition over
// the records. Also notes which threads ran the handlers.
#pragma once

#include <wsclient/wsclient.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace wsclient::test {

inline constexpr std::chrono::milliseconds kPatience{15000};

class Recorder {
 public:
  // Handlers that record into this Recorder (which must outlive the Client).
  Handlers handlers();

  // A one-line account of what was recorded, for failure messages (takes the lock).
  std::string summary();

  // Waits until `condition` (run under the lock, so it may read the fields) holds.
  bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout = kPatience);

  // Under the lock: the records.
  std::vector<Connected> connected;
  std::vector<Disconnected> disconnected;
  std::vector<State> states;
  std::vector<BindSuccess> binds;
  std::vector<Direct> directs;
  std::vector<Broadcast> broadcasts;
  std::vector<SendSuccess> sendSuccesses;
  std::vector<OnlineResult> onlineResults;
  std::vector<ListResult> lists;
  std::vector<Presence> presences;
  std::vector<Heartbeat> heartbeats;
  std::vector<ServerError> errors;
  std::vector<RoomEvent> rooms;
  std::vector<RoomMessage> roomMessages;
  std::vector<RoomRecoveryFailure> recoveryFailures;
  std::vector<Signal> signals;
  std::vector<FilterResult> filters;
  std::vector<AckResult> acks;
  std::vector<RawMessage> raw;
  std::vector<Dropped> dropped;
  std::set<std::thread::id> threads;

  // Every field above is guarded by this.
  std::mutex mutex;

  // Extra work for a handler to do (after recording), set before connect().
  std::function<void(const Direct&)> alsoOnDirect;

 private:
  template <typename Event>
  std::function<void(const Event&)> into(std::vector<Event>& records);

  std::condition_variable changed_;
};

}  // namespace wsclient::test
