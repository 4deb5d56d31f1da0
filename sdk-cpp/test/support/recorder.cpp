#include "recorder.h"

namespace wsclient::test {

template <typename Event>
std::function<void(const Event&)> Recorder::into(std::vector<Event>& records) {
  return [this, &records](const Event& event) {
    {
      std::lock_guard lock(mutex);
      records.push_back(event);
      threads.insert(std::this_thread::get_id());
    }
    changed_.notify_all();
  };
}

Handlers Recorder::handlers() {
  Handlers h;
  h.onConnected = into(connected);
  h.onDisconnected = into(disconnected);
  h.onStateChange = [this](State state) {
    {
      std::lock_guard lock(mutex);
      states.push_back(state);
      threads.insert(std::this_thread::get_id());
    }
    changed_.notify_all();
  };
  h.onBindSuccess = into(binds);
  auto recordDirect = into(directs);
  h.onDirect = [this, recordDirect](const Direct& event) {
    recordDirect(event);
    if (alsoOnDirect) alsoOnDirect(event);
  };
  h.onBroadcast = into(broadcasts);
  h.onSendSuccess = into(sendSuccesses);
  h.onOnlineResult = into(onlineResults);
  h.onList = into(lists);
  h.onPresence = into(presences);
  h.onHeartbeat = into(heartbeats);
  h.onError = into(errors);
  h.onRoom = into(rooms);
  h.onRoomMessage = into(roomMessages);
  h.onRoomRecoveryFailed = into(recoveryFailures);
  h.onSignal = into(signals);
  h.onFilter = into(filters);
  h.onAck = into(acks);
  h.onMessage = into(raw);
  h.onDropped = into(dropped);
  return h;
}

std::string Recorder::summary() {
  std::lock_guard lock(mutex);
  std::string out = "connected " + std::to_string(connected.size()) + ", binds " + std::to_string(binds.size()) +
                    ", directs " + std::to_string(directs.size()) + ", acks " + std::to_string(sendSuccesses.size()) +
                    ", errors " + std::to_string(errors.size()) + ", dropped " + std::to_string(dropped.size()) +
                    ", disconnected:";
  for (const auto& d : disconnected) out += " [" + std::to_string(d.code) + " " + d.reason + "]";
  for (const auto& e : errors) out += " error " + e.codeText + ": " + e.msg;
  return out;
}

bool Recorder::waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex);
  return changed_.wait_for(lock, timeout, condition);
}

}  // namespace wsclient::test
