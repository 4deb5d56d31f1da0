// Where a client message is handled, whatever transport carried it: rate limit, parse
// and validate, decide, then either answer at once or append the event.
//
// Threads: gateway thread only.
#pragma once

#include <string_view>

#include "gateway/gateway_context.h"

namespace wsd {

enum class ActionOutcome {
  kHandled,      // answered on the session (errors included), nothing appended
  kAppended,     // its event went to the log; `onLogged` runs once the log has it
  kInvalidJson,  // not JSON: WebSocket answers with `error`, POST with 400
  kRateLimited,  // over the rate: WebSocket answers with `error`, POST with 429
  kClosed,       // the session is closing (it kept flooding); nothing was done
  kAwaitBind,    // needs a uid this gateway has not seen bound yet, though it may be
                 // (Session::uidMayTrail): nothing was done, not even rate counting
};

// Whether a message that needs a uid may wait for a bind that is in the log but not yet
// applied here (kAwaitBind), or is decided on what this gateway knows.
enum class BindLag { kDecideNow, kMayAwait };

ActionOutcome handleClientMessage(GatewayContext& ctx, Session& session, std::string_view text, std::string* problem,
                                  EventPipeline::Completion onLogged = {}, BindLag lag = BindLag::kDecideNow);

}  // namespace wsd
