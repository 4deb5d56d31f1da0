#include "gateway/routes/server_api_routes.h"

#include <array>

#include "core/error_codes.h"
#include "core/http_framing.h"
#include "core/json.h"
#include "gateway/routes/admin_routes.h"
#include "gateway/routes/applied_answer.h"

namespace wsd {
namespace {

// ---- answers --------------------------------------------------------------------------

void strings(json::Writer& w, std::string_view key, const std::vector<std::string>& values) {
  json::key(w, key);
  w.StartArray();
  for (const auto& v : values) json::str(w, v);
  w.EndArray();
}

void boolean(json::Writer& w, std::string_view key, bool value) {
  json::key(w, key);
  w.Bool(value);
}

std::string text(const Event& e, const char* name) { return json::string(e.data, name).value_or(""); }

// As a client's send_success; a full inbox is the client's `inbox_full` error.
HttpResponse sendAnswer(const Event& e, const SendOutcome& sent) {
  const std::string to = text(e, "to");
  if (!sent.failed.empty())
    return errorResponse(409, error_codes::kInboxFull.name, "the offline inbox of '" + to + "' is full");
  return successResponse([&](json::Writer& w) {
    json::field(w, "id", e.id);
    json::field(w, "to", to);
    boolean(w, "offline", !sent.stored.empty());
  });
}

// ---- requests ---------------------------------------------------------------------------

// The admin token for any project; else one of the project's server secrets still valid.
std::optional<HttpResponse> refuseCaller(const GatewayContext& ctx, const HttpRequest& request,
                                         const std::string& project) {
  if (project.empty())
    return errorResponse(400, error_codes::kBadRequest.name, "query parameter 'project' is required");
  auto record = ctx.state.project(project);
  if (!record) return errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + project + "'");
  if (adminAuthorized(ctx, request)) return std::nullopt;
  const auto secret = http::bearerCredentials(request.authorization);
  if (secret && record->settings.secretValidAt(*secret, wallClockMs())) return std::nullopt;
  return errorResponse(401, error_codes::kUnauthorized.name,
                       "missing or wrong credential: Authorization: Bearer <the project's server secret>");
}

// The call's arguments: the JSON body of a POST (checked against its schema), or the
// query parameters of a GET as an object ({"uid": ...} or {"roomId": ...}).
std::optional<HttpResponse> readArguments(const GatewayContext& ctx, ApiCall call, const HttpRequest& request,
                                          json::Document& args) {
  if (apiCallIsQuery(call)) {
    args.SetObject();
    for (const char* name : {"uid", "roomId"}) {
      auto value = request.param(name);
      if (!value.empty())
        args.AddMember(rapidjson::StringRef(name), rapidjson::Value(value.c_str(), args.GetAllocator()),
                       args.GetAllocator());
    }
    return std::nullopt;
  }
  if (request.bodyTooLarge) return errorResponse(413, error_codes::kMessageTooBig.name, "request body too large");
  if (!json::parse(args, request.body))
    return errorResponse(400, error_codes::kInvalidJson.name, "the body is not JSON");
  if (!args.IsObject()) return errorResponse(400, error_codes::kBadRequest.name, "the body must be a JSON object");
  if (call == ApiCall::kKick && args.HasMember("uid") == args.HasMember("conn")) {
    return errorResponse(400, error_codes::kBadRequest.name, "name exactly one of 'uid' and 'conn'");
  }
  if (auto problem = ctx.schemas.check(apiRequestSchema(call), args)) {
    return errorResponse(400, error_codes::kBadRequest.name, *problem);
  }
  return std::nullopt;
}

// The calls with a fixed path; /api/rooms/<room>/send is kRoomSend.
struct FixedCall {
  std::string_view path;
  ApiCall call;
};
constexpr std::array<FixedCall, 7> kFixedCalls = {{
    {"/api/send", ApiCall::kSend},
    {"/api/multicast", ApiCall::kMulticast},
    {"/api/broadcast", ApiCall::kBroadcast},
    {"/api/kick", ApiCall::kKick},
    {"/api/online", ApiCall::kOnline},
    {"/api/list", ApiCall::kList},
    {"/api/room", ApiCall::kRoom},
}};
constexpr std::string_view kRoomsPrefix = "/api/rooms/";
constexpr std::string_view kRoomSendSuffix = "/send";

Methods methodsOf(ApiCall call) { return apiCallIsQuery(call) ? kGet : kPost; }

// Answers a call whose path and method the route table matched.
int handleCall(GatewayContext& ctx, HttpExchange& exchange, ApiCall call);

}  // namespace

std::string_view roomIdInPath(std::string_view path) {
  constexpr std::string_view kPrefix = kRoomsPrefix;
  constexpr std::string_view kSuffix = kRoomSendSuffix;
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) return {};
  auto room = path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
  if (path.size() < kPrefix.size() + kSuffix.size() || room.find('/') != std::string_view::npos) return {};
  return room;
}

HttpResponse serverApiAnswer(ApiCall call, const Event& e, const Effects& fx) {
  const SendOutcome sent = fx.sent.value_or(SendOutcome{});
  const QueryOutcome query = fx.query.value_or(QueryOutcome{});
  switch (call) {
    case ApiCall::kSend: return sendAnswer(e, sent);
    case ApiCall::kMulticast:
      return successResponse([&](json::Writer& w) {
        json::field(w, "id", e.id);
        strings(w, "delivered", sent.delivered);
        strings(w, "stored", sent.stored);
        strings(w, "failed", sent.failed);
      });
    case ApiCall::kBroadcast: return successResponse([&](json::Writer& w) { json::field(w, "id", e.id); });
    case ApiCall::kKick:
      return successResponse([&](json::Writer& w) {
        std::vector<std::string> closed;
        for (const auto& order : fx.closes) closed.push_back(order.conn);
        strings(w, "closed", closed);
      });
    case ApiCall::kOnline:
      return successResponse([&](json::Writer& w) {
        json::field(w, "uid", text(e, "uid"));
        boolean(w, "online", query.online);
      });
    case ApiCall::kList: return successResponse([&](json::Writer& w) { strings(w, "uids", query.uids); });
    case ApiCall::kRoom:
      return successResponse([&](json::Writer& w) {
        json::field(w, "roomId", text(e, "roomId"));
        strings(w, "members", query.uids);
      });
    case ApiCall::kRoomSend: {
      // Never refused: the server API needs no membership (core/projector_room_history.cpp).
      const RoomSendOutcome sentTo = fx.roomSent.value_or(RoomSendOutcome{});
      return successResponse([&](json::Writer& w) {
        json::field(w, "offset", sentTo.offset);
        json::field(w, "epoch", sentTo.epoch);
        json::field(w, "id", e.id);
      });
    }
  }
  return errorResponse(404, error_codes::kNotFound.name, "no such call");  // unreachable: every call is above
}

namespace {

int handleCall(GatewayContext& ctx, HttpExchange& exchange, ApiCall call) {
  const HttpRequest& request = exchange.request();
  const std::string project = request.param("project");
  if (auto refusal = refuseCaller(ctx, request, project)) return exchange.answer(*refusal);
  json::Document args;
  if (auto refusal = readArguments(ctx, call, request, args)) return exchange.answer(*refusal);
  if (call == ApiCall::kRoomSend) {
    const auto room = roomIdInPath(request.path);
    args.AddMember("roomId",
                   rapidjson::Value(room.data(), static_cast<rapidjson::SizeType>(room.size()), args.GetAllocator()),
                   args.GetAllocator());
  }
  auto event = apiEvent(call, project, args, ctx.decideContext());
  if (!event.ok()) return exchange.answer(errorResponse(400, event.error().code, event.error().message));
  EventPtr recorded = *event;  // the answer reads the event's id and fields once applied
  return appendThenAnswer(
      ctx.pipeline, exchange, std::move(*event),
      {[call, recorded](const Effects& effects) { return serverApiAnswer(call, *recorded, effects); }, {}, {}, {}});
}

}  // namespace

void addServerApiRoutes(RouteTable& table, GatewayContext& ctx) {
  for (const auto& fixed : kFixedCalls) {
    table.add(methodsOf(fixed.call), PathPattern::exactly(std::string(fixed.path)),
              [&ctx, call = fixed.call](HttpExchange& exchange) { return handleCall(ctx, exchange, call); });
  }
  table.add(methodsOf(ApiCall::kRoomSend),
            PathPattern::withSegment(std::string(kRoomsPrefix), std::string(kRoomSendSuffix)),
            [&ctx](HttpExchange& exchange) { return handleCall(ctx, exchange, ApiCall::kRoomSend); });
}

}  // namespace wsd
