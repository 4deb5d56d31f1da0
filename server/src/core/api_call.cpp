#include "core/api_call.h"

#include "core/error_codes.h"
#include "core/json.h"

namespace wsd {
namespace {

// Same bound as a uid or a roomId in the client schemas.
constexpr std::size_t kMaxNameLength = 128;

struct CallInfo {
  ApiCall call;
  std::string_view name;
  EventType event;
  std::string_view schema;  // empty: a query, its arguments are checked here
};

constexpr CallInfo kCalls[] = {
    {ApiCall::kSend, "send", EventType::kMessageDirect, "http/api_send_request"},
    {ApiCall::kMulticast, "multicast", EventType::kMessageMulticast, "http/api_multicast_request"},
    {ApiCall::kBroadcast, "broadcast", EventType::kMessageBroadcast, "http/api_broadcast_request"},
    {ApiCall::kKick, "kick", EventType::kConnKick, "http/api_kick_request"},
    {ApiCall::kOnline, "online", EventType::kQueryOnline, ""},
    {ApiCall::kList, "list", EventType::kQueryList, ""},
    {ApiCall::kRoom, "room", EventType::kQueryRoom, ""},
    {ApiCall::kRoomSend, "rooms/send", EventType::kRoomMessage, "http/api_room_send_request"},
};

const CallInfo& info(ApiCall call) {
  for (const auto& c : kCalls) {
    if (c.call == call) return c;
  }
  return kCalls[0];  // unreachable: every ApiCall is in the table
}

void copy(const rapidjson::Value& args, Event& e, const char* name) {
  if (const auto* v = json::member(args, name)) {
    rapidjson::Value value(*v, e.alloc());
    e.data.AddMember(rapidjson::StringRef(name), value, e.alloc());
  }
}

// A query's one argument (uid, roomId): present, and as long as a client's may be.
std::optional<Error> checkName(const rapidjson::Value& args, const char* name) {
  auto value = json::string(args, name).value_or("");
  if (value.empty())
    return makeError(error_codes::kBadRequest.name, std::string("query parameter '") + name + "' is required");
  if (value.size() > kMaxNameLength) {
    return makeError(error_codes::kBadRequest.name, std::string("'") + name + "' is longer than 128 bytes");
  }
  return std::nullopt;
}

// Message calls: the sender (default kServerSender), the message, and for send and
// multicast the offline expiry decided now (as for a client's send).
void fillMessage(ApiCall call, const rapidjson::Value& args, const DecideContext& ctx, Event& e) {
  addString(e, "from", json::string(args, "from").value_or(std::string(kServerSender)));
  if (call != ApiCall::kBroadcast) copy(args, e, "to");
  copy(args, e, "msg");
  if (call != ApiCall::kBroadcast) e.data.AddMember("expiresAt", ctx.nowMs + ctx.offlineTtlMs, e.alloc());
}

}  // namespace

std::string_view apiCallName(ApiCall call) { return info(call).name; }

bool apiCallIsQuery(ApiCall call) { return info(call).schema.empty(); }

std::string_view apiRequestSchema(ApiCall call) { return info(call).schema; }

Result<std::shared_ptr<Event>> apiEvent(ApiCall call, std::string project, const rapidjson::Value& args,
                                        const DecideContext& ctx) {
  if (call == ApiCall::kMulticast) {
    const auto* to = json::member(args, "to");
    if (to != nullptr && to->IsArray() && to->Size() > ctx.multicastMax) {
      return makeError(error_codes::kTooManyRecipients.name,
                       "multicast to more than " + std::to_string(ctx.multicastMax) + " uids");
    }
  }
  if (call == ApiCall::kOnline) {
    if (auto bad = checkName(args, "uid")) return *bad;
  }
  if (call == ApiCall::kRoom || call == ApiCall::kRoomSend) {
    if (auto bad = checkName(args, "roomId")) return *bad;
  }
  auto event = newEvent(info(call).event, std::move(project), "", ctx);
  switch (call) {
    case ApiCall::kSend:
    case ApiCall::kMulticast:
    case ApiCall::kBroadcast: fillMessage(call, args, ctx, *event); break;
    case ApiCall::kKick:
      copy(args, *event, "uid");
      copy(args, *event, "conn");
      event->data.AddMember("code", kKickCloseCode, event->alloc());
      addString(*event, "reason", json::string(args, "reason").value_or(std::string(kDefaultKickReason)));
      break;
    case ApiCall::kOnline: copy(args, *event, "uid"); break;
    case ApiCall::kRoom: copy(args, *event, "roomId"); break;
    case ApiCall::kRoomSend:
      copy(args, *event, "roomId");
      addString(*event, "from", json::string(args, "from").value_or(std::string(kServerSender)));
      copy(args, *event, "msg");
      break;
    case ApiCall::kList: break;
  }
  addString(*event, "via", "api");
  return event;
}

}  // namespace wsd
