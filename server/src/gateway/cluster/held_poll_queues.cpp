#include "gateway/cluster/held_poll_queues.h"

#include <memory>
#include <utility>

#include "gateway/sessions/output_overflow.h"

namespace wsd {
namespace {

// `then`, to run only if `session` is still the one held here under its connId when it
// is called (connIds are never reused, so a session gone meanwhile is never mistaken).
template <typename... Args>
std::function<void(Args...)> whileHeld(const SessionRegistry& sessions, const Session& session,
                                       std::function<void(Args...)> then) {
  return [&sessions, conn = session.conn(), held = &session, then = std::move(then)](Args... args) {
    if (sessions.find(conn) == held) then(std::forward<Args>(args)...);
  };
}

}  // namespace

void HeldPollQueues::push(Session& session, const server_message::Text& message,
                          std::function<void(QueueSize)> stored) {
  queues_.push(session.project(), session.conn(), message, whileHeld(ctx_.sessions, session, std::move(stored)));
}

void HeldPollQueues::drain(Session& session, std::function<void(std::vector<std::string>)> taken) {
  queues_.drain(session.project(), session.conn(), whileHeld(ctx_.sessions, session, std::move(taken)));
}

void HeldPollQueues::discard(const Session& session) { queues_.discard(session.project(), session.conn()); }

void HeldPollQueues::wasPolled(Session& session, std::function<void(bool)> answer) {
  queues_.wasPolled(session.project(), session.conn(), whileHeld(ctx_.sessions, session, std::move(answer)));
}

std::optional<OutputBudget::Over> HeldPollQueues::overBudget(QueueSize size) const {
  return ctx_.sessions.output().overSessionBudget(size.messages, size.bytes);
}

bool HeldPollQueues::keepUndelivered(Session& session, const std::vector<std::string>& messages,
                                     std::function<void()> logged) {
  std::vector<std::shared_ptr<Event>> kept;
  for (const auto& message : messages) {
    if (auto event = undeliveredEvent(ctx_, session, message)) kept.push_back(std::move(event));
  }
  if (kept.empty()) return false;
  auto last = std::move(kept.back());
  kept.pop_back();
  for (auto& event : kept) ctx_.pipeline.submit(std::move(event));
  // One gateway's events reach the log in the order submitted: the last one in means all are.
  auto allLogged = whileHeld(ctx_.sessions, session, std::move(logged));
  ctx_.pipeline.submit(std::move(last), [allLogged = std::move(allLogged)](const Result<Effects>&) { allLogged(); });
  return true;
}

void HeldPollQueues::endOverBudget(Session& session, OutputBudget::Over over) {
  wsd::endOverBudget(ctx_, session, over);
}

}  // namespace wsd
