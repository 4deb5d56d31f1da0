// Decide: client message -> decision. What the gateway can settle on its own, with no
// shared state: whether the connection may act (bound?), and the event that records the
// action. Everything that depends on shared state (is the recipient online? is it in the
// room?) is settled later, by the projector, at the event's place in the log.
//
// Values taken from the clock or from configuration are written into the event here, so
// that replaying the log never needs them again (the offline TTL becomes `expiresAt`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bind_signature.h"
#include "core/client_message.h"
#include "core/event.h"
#include "core/ids.h"
#include "core/server_messages.h"

namespace wsd {

// The acting connection, as the gateway knows it.
struct ConnectionView {
  std::string_view conn;
  std::string_view project;
  std::string_view uid;  // empty until the connection sent bind
};

struct DecideContext {
  std::string_view node;
  std::int64_t nowMs = 0;
  std::int64_t offlineTtlMs = 259200000;
  std::size_t multicastMax = 1000;  // recipients of one multicast
  IdGenerator* ids = nullptr;
  // bind only: the gateway's verdict on its exp/sig against the project's settings
  // (core/bind_signature.h); a refusing one is answered with its error, a valid one is
  // recorded in the uid.bind event.
  BindSignature bindSignature = BindSignature::kAbsent;
};

struct Decision {
  enum class Kind {
    kAppend,        // append `event`; replies come when it is applied
    kReply,         // answer `reply` directly; nothing is logged
    kPongReceived,  // heartbeat answer: the gateway resets its ping count
  };
  Kind kind = Kind::kReply;
  std::shared_ptr<Event> event;
  server_message::Text reply;
  std::string boundUid;  // for bind: the uid the connection acts as from now on
};

// Whether a message of this type needs a bound uid (else: not_bound).
bool needsBind(ClientType type);

Decision decide(const ClientMessage& message, const ConnectionView& connection, const DecideContext& ctx);

// An event with the envelope filled in and an empty data object.
std::shared_ptr<Event> newEvent(EventType type, std::string project, std::string conn, const DecideContext& ctx);

// node.applied: this gateway enforces change `changeId` (of `project`) from now on.
std::shared_ptr<Event> acknowledgment(std::string project, std::string_view changeId, const DecideContext& ctx);

// message.undelivered for a rendered server message that session `conn` never wrote to
// its client, or null when it is not a direct message (only those are kept offline). The
// message keeps its id, sender and time; it expires one offline TTL from now.
std::shared_ptr<Event> decideUndelivered(std::string project, std::string conn, std::string_view rendered,
                                         const DecideContext& ctx);

}  // namespace wsd
