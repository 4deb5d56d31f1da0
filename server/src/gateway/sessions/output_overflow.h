// What happens to a session over its output budget (output_budget.h): the direct messages
// it never wrote to its client are appended as message.undelivered events, which store
// them for its uid, and then it is closed. The events go to the log before the session's
// conn.close, so every projection has the messages stored before the session is gone,
// and the client hears of its end only once that close is applied, so its next bind
// comes after the close in the log (output_overflow.cpp).
//
// Threads: gateway thread only.
#pragma once

#include "core/error_codes.h"
#include "gateway/gateway_context.h"
#include "gateway/sessions/output_budget.h"

namespace wsd {

// Close codes and reasons (docs/protocol.md, "Close codes"): the session's own budget is
// a policy it broke; the process's is an overload the client may retry after.
inline constexpr int kSlowConsumerCode = error_codes::kSlowConsumer.closeCode;
inline constexpr const char* kSlowConsumerReason = error_codes::kSlowConsumer.name;
inline constexpr int kOverSessionBudgetCode = error_codes::kOutputOverBudget.closeCode;
inline constexpr const char* kOverSessionBudgetReason = error_codes::kOutputOverBudget.name;
inline constexpr int kOverProcessBudgetCode = error_codes::kServerOutputFull.closeCode;
inline constexpr const char* kOverProcessBudgetReason = error_codes::kServerOutputFull.name;

void endOverBudget(GatewayContext& ctx, Session& session, OutputBudget::Over over);
// A direct message for session `conn` of `project` after it was ended: kept for its uid.
void spillUndelivered(GatewayContext& ctx, const std::string& project, const std::string& conn,
                      const std::string& rendered);
// The event that keeps `rendered` for the session's uid, or null (not a direct message,
// or no uid to keep it for).
std::shared_ptr<Event> undeliveredEvent(GatewayContext& ctx, const Session& session, const std::string& rendered);

}  // namespace wsd
