#include "gateway/output_overflow.h"

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

void endOverBudget(GatewayContext& ctx, Session& session, OutputBudget::Over over) {
  for (const auto& message : session.takeUndelivered()) {
    if (auto event = undeliveredEvent(ctx, session, *message)) ctx.pipeline.submit(std::move(event));
  }
  session.spillFromNowOn();
  if (session.closing) return;
  switch (over) {
    case OutputBudget::Over::kSessionMessages:
      ctx.metrics.overBudget.add("messages");
      return session.close(kSlowConsumerCode, kSlowConsumerReason);
    case OutputBudget::Over::kSession:
      ctx.metrics.overBudget.add("session");
      return session.close(kOverSessionBudgetCode, kOverSessionBudgetReason);
    case OutputBudget::Over::kProcess:
      ctx.metrics.overBudget.add("process");
      return session.close(kOverProcessBudgetCode, kOverProcessBudgetReason);
  }
}

}  // namespace wsd
