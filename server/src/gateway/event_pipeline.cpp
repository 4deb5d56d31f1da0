#include "gateway/event_pipeline.h"

#include <cstdio>

#include "core/error_codes.h"
#include "core/json.h"
#include "gateway/metrics/gateway_metrics.h"
#include "logging/logger.h"

namespace wsd {

EventPipeline::EventPipeline(log::EventLog& log, Projector& projector, ProjectionCursor& cursor,
                             SessionRegistry& sessions, std::function<void()> applySoon)
    : log_(log), projector_(projector), cursor_(cursor), sessions_(sessions), applySoon_(std::move(applySoon)) {}

Status EventPipeline::start() {
  return log_.start([this](std::vector<log::Committed>&& batch) {
    const bool wasEmpty = inbox_.empty();
    for (auto& c : batch) inbox_.push_back(std::move(c));
    if (wasEmpty) applySoon_();
  });
}

void EventPipeline::submit(std::shared_ptr<Event> event, Completion done) {
  if (done) completions_.emplace(event->id, Waiting{std::move(done), event->ts});
  log_.append(std::move(event));
}

void EventPipeline::drainCommitted() {
  // Applying an event can end a callback nested in this one (a session closed while it
  // is routed), whose end drains again: the outer call keeps going until the inbox is
  // empty, so events are applied one at a time, in log order.
  if (draining_) return;
  draining_ = true;
  while (!inbox_.empty()) {
    std::vector<log::Committed> batch;
    batch.swap(inbox_);
    applyCommitted(batch);
  }
  draining_ = false;
}

void EventPipeline::applyCommitted(std::vector<log::Committed>& batch) {
  for (auto& committed : batch) {
    const Event& event = *committed.event;
    if (event.type == EventType::kConnClose) sessions_.closeApplied(event.conn);
    Completion done;
    if (auto it = completions_.find(event.id); it != completions_.end()) {
      done = std::move(it->second.done);
      completions_.erase(it);
    }
    if (!committed.ok) {
      logging::error("log append failed: " + committed.error.message);
      if (auto answer = projector_.answerUnlogged(event)) {  // a read goes on without the log
        route(event, *answer);
        if (done) done(*answer);
        continue;
      }
      if (Session* s = sessions_.find(event.conn)) {
        s->send(
            server_message::error(error_codes::kLogUnavailable.name, "the event log is unavailable; nothing happened"));
      }
      if (done) done(committed.error);
      continue;
    }
    Effects effects = projector_.apply(event);
    cursor_.advance(event, committed.position.partition, committed.position.offset);
    logAdminChange(event, effects);
    route(event, effects);
    for (const auto& observer : observers_) observer(event, effects);
    if (done) done(effects);
  }
}

void EventPipeline::expireCompletions(std::int64_t nowMs, std::int64_t timeoutMs) {
  for (auto it = completions_.begin(); it != completions_.end();) {
    if (nowMs - it->second.sinceMs < timeoutMs) {
      ++it;
      continue;
    }
    Completion done = std::move(it->second.done);
    it = completions_.erase(it);
    done(makeError(error_codes::kLogUnavailable.name,
                   "the event log did not confirm the change in time; it may still apply"));
  }
}

// Admin changes are rare and matter to operators: one log line each.
void EventPipeline::logAdminChange(const Event& event, const Effects& effects) {
  switch (event.type) {
    case EventType::kProjectCreate:
    case EventType::kProjectDelete:
    case EventType::kTokenIssue:
    case EventType::kTokenRevoke:
    case EventType::kTokenUpdate:
      logging::info(
          std::string(eventTypeName(event.type)) + (effects.rejection ? " refused" : " applied") +
              " project=" + event.project +
              (effects.closes.empty() ? "" : ", closing " + std::to_string(effects.closes.size()) + " connections"),
          {{"project", event.project}, {"event", event.id}});
      break;
    default: break;
  }
}

void EventPipeline::route(const Event& event, const Effects& effects) {
  if (event.type == EventType::kConnOpen) {
    if (Session* s = sessions_.find(event.conn)) s->opened = true;
  }
  // A bind decided on another gateway (a POST that reached it): the session held here acts
  // as that uid from now on, as the projections say.
  if (event.type == EventType::kUidBind && !effects.rejection) {
    Session* s = sessions_.find(event.conn);
    if (s != nullptr && s->uid.empty()) s->uid = json::string(event.data, "uid").value_or("");
  }
  // A filter changed by sub/unsub, possibly decided on another gateway: it holds from this
  // event on, before its own reply is delivered.
  if (effects.filter) {
    if (Session* s = sessions_.find(event.conn)) sessions_.refilter(*s, *effects.filter);
  }
  for (const auto& delivery : effects.deliveries) deliver(delivery);
  for (const auto& order : effects.closes) {
    if (Session* s = sessions_.find(order.conn)) s->close(order.code, order.reason);
  }
}

void EventPipeline::deliver(const Delivery& d) {
  if (d.to == Delivery::To::kConn) {
    if (Session* s = sessions_.find(d.target)) {
      if (s->wants(d.kind)) s->send(d.message);
    } else if (const std::string* project = sessions_.leavingProject(d.target)) {
      if (serverMessageType(*d.message) == "direct") sessions_.output().spill(*project, d.target, *d.message);
    }
    return;
  }
  const Session* except = d.exceptConn.empty() ? nullptr : sessions_.find(d.exceptConn);
  const std::size_t typeIndex = serverMessageTypeIndex(*d.message);
  sessions_.forEachReached(d.target, d.kind, [&](Session& s) {
    if (s.opened && &s != except && s.wants(d.kind)) s.send(d.message, typeIndex);
  });
}

}  // namespace wsd
