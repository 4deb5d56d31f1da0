#include "gateway/sessions/output_overflow.h"

#include "logging/logger.h"

namespace wsd {

std::shared_ptr<Event> undeliveredEvent(GatewayContext& ctx, const Session& session, const std::string& rendered) {
  if (session.uid.empty()) return nullptr;  // no inbox to keep it in (and a direct needs a uid)
  return decideUndelivered(session.project(), session.conn(), rendered, ctx.decideContext());
}

void spillUndelivered(GatewayContext& ctx, const std::string& project, const std::string& conn,
                      const std::string& rendered) {
  if (auto event = decideUndelivered(project, conn, rendered, ctx.decideContext()))
    ctx.pipeline.submit(std::move(event));
}

namespace {

struct CloseFor {
  int code;
  const char* reason;
};

CloseFor closeFor(OutputBudget::Over over) {
  switch (over) {
    case OutputBudget::Over::kSessionMessages: return {kSlowConsumerCode, kSlowConsumerReason};
    case OutputBudget::Over::kSession: return {kOverSessionBudgetCode, kOverSessionBudgetReason};
    case OutputBudget::Over::kProcess: return {kOverProcessBudgetCode, kOverProcessBudgetReason};
  }
  return {kOverSessionBudgetCode, kOverSessionBudgetReason};
}

const char* budgetLabel(OutputBudget::Over over) {
  switch (over) {
    case OutputBudget::Over::kSessionMessages: return "messages";
    case OutputBudget::Over::kSession: return "session";
    case OutputBudget::Over::kProcess: return "process";
  }
  return "session";
}

}  // namespace

// The client learns of the end only once its conn.close is applied: a bind it makes next,
// through any gateway, then comes after the close in the log, so it takes from the inbox
// every message kept before the close, and gets those kept after it at once
// (Projector::messageUndelivered). Until then the session stays here, passing what
// reaches it on to its uid's inbox.
void endOverBudget(GatewayContext& ctx, Session& session, OutputBudget::Over over) {
  for (const auto& message : session.takeUndelivered()) {
    if (auto event = undeliveredEvent(ctx, session, *message)) ctx.pipeline.submit(std::move(event));
  }
  session.spillFromNowOn();
  if (session.closing || session.endLogged) return;
  ctx.metrics.overBudget.add(budgetLabel(over));
  const CloseFor close = closeFor(over);
  logging::info("session over its output budget, closing", {{"project", session.project()},
                                                            {"conn", session.conn()},
                                                            {"uid", session.uid},
                                                            {"budget", budgetLabel(over)},
                                                            {"reason", close.reason}});
  if (session.tellsItsEndBeforeLoggingIt()) return session.close(close.code, close.reason);
  ctx.logSessionEnd(session, close.code, close.reason, [&ctx, conn = session.conn(), close](const Result<Effects>&) {
    if (Session* ended = ctx.sessions.find(conn)) ended->close(close.code, close.reason);
  });
}

}  // namespace wsd
