// The gateway's path through the log: submit an event, and when the log hands it back
// committed (in log order), apply it to the projections and carry out its effects on
// the sessions held here. One path for every event, so delivery order is log order and
// a client is acknowledged only once its action is in the log.
//
// Threads: everything on the serving loop's thread. The log's sink runs there too (inside
// submit() for the embedded log; from the loop's own events for Kafka and for the
// embedded log's sync thread), so committed events wait in a plain vector until the
// loop pass is over: no lock, no wake-up across threads.
#pragma once

#include <functional>
#include <unordered_map>
#include <vector>

#include "core/projection_cursor.h"
#include "core/projector.h"
#include "gateway/sessions/session_registry.h"
#include "log/event_log.h"

namespace wsd {

class EventPipeline {
 public:
  // Runs on the gateway thread once the event is applied (or failed to append).
  using Completion = std::function<void(const Result<Effects>&)>;

  // `cursor` has followed `projector` through the start-up replay; the pipeline carries
  // it on with every event it applies. `applySoon` asks the loop to call drainCommitted()
  // once its current pass is over.
  EventPipeline(log::EventLog& log, Projector& projector, ProjectionCursor& cursor, SessionRegistry& sessions,
                std::function<void()> applySoon);

  // Runs on the gateway thread after each event is applied and routed (not for replay).
  using Observer = std::function<void(const Event&, const Effects&)>;

  Status start();  // connects the log's sink
  // Adds `observer`; before start().
  void observe(Observer observer) { observers_.push_back(std::move(observer)); }
  void submit(std::shared_ptr<Event> event, Completion done = {});
  // Fails the completions still waiting after `timeoutMs`: an event the log took but never
  // handed back (a broker that lost it, a partition no one reads) must not leave its HTTP
  // request open for ever. O(waiting completions); called from the gateway's tick.
  void expireCompletions(std::int64_t nowMs, std::int64_t timeoutMs);
  // Applies what the log committed since the last call, including what commits while
  // it runs. At the end of a loop pass (server.cpp); O(1) when nothing was committed.
  void drainCommitted();
  // Where the projections stand in the log: every record before these offsets, and none
  // after, is applied (between two events, on the gateway thread, the two always agree).
  const ProjectionCursor& cursor() const { return cursor_; }

 private:
  void applyCommitted(std::vector<log::Committed>& batch);
  void route(const Event& event, const Effects& effects);
  static void logAdminChange(const Event& event, const Effects& effects);
  void deliver(const Delivery& delivery);

  log::EventLog& log_;
  Projector& projector_;
  ProjectionCursor& cursor_;
  SessionRegistry& sessions_;
  std::function<void()> applySoon_;
  struct Waiting {
    Completion done;
    std::int64_t sinceMs;
  };
  std::unordered_map<std::string, Waiting> completions_;  // by event id
  std::vector<Observer> observers_;
  bool draining_ = false;
  std::vector<log::Committed> inbox_;  // committed, not applied yet
};

}  // namespace wsd
