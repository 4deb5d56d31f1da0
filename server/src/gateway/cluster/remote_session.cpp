#include "gateway/cluster/remote_session.h"

#include <cstdio>

#include "core/json.h"
#include "gateway/sessions/session_proof.h"
#include "store/redis_layout.h"

namespace wsd {
namespace {

constexpr std::int64_t kIdleMs = 60000;

std::optional<Transport> transportNamed(std::string_view name) {
  for (auto t : {Transport::kWebSocket, Transport::kSse, Transport::kPoll}) {
    if (name == transportName(t)) return t;
  }
  return std::nullopt;
}

}  // namespace

void RemoteSession::enqueue(server_message::Text message) {
  if (identity().transport == Transport::kPoll) {
    polls_.push(project(), conn(), message);
    return;
  }
  publish([&](json::Writer& w) {
    json::key(w, "message");
    w.RawValue(message->data(), message->size(), rapidjson::kObjectType);
  });
}

void RemoteSession::close(int code, const std::string& reason) {
  closing = true;
  publish([&](json::Writer& w) {
    json::key(w, "close");
    w.StartObject();
    json::field(w, "code", code);
    json::field(w, "reason", reason);
    w.EndObject();
  });
}

void RemoteSession::pongReceived() {
  publish([](json::Writer& w) {
    json::key(w, "pong");
    w.Bool(true);
  });
}

// {"conn": ..., <what `fill` writes>} on the holder's channel.
void RemoteSession::publish(const std::function<void(json::Writer&)>& fill) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "conn", conn());
  fill(w);
  w.EndObject();
  redis_.command(
      {"PUBLISH", store::redis_layout::gatewayChannel(holder_), std::string(buffer.GetString(), buffer.GetSize())});
}

RemoteSession* RemoteSessions::find(const std::string& conn, Transport transport, const HttpRequest& request,
                                    std::int64_t nowMs) {
  auto record = ctx_.state.session(conn);
  if (!record || transportNamed(record->transport) != transport) return nullptr;
  if (!queryMatchesSession(request, record->project, record->token)) return nullptr;
  auto& slot = byConn_[conn];
  if (slot == nullptr) {
    SessionIdentity identity{conn, record->project, record->token, transport, Mode::kShort, {}};
    slot = std::make_unique<RemoteSession>(identity, record->node,
                                           RateLimiter(ctx_.options.rateLimit, ctx_.options.rateBurst), redis_, polls_);
  }
  // The projections are the truth about its uid (bound through whichever gateway).
  if (slot->uid.empty()) slot->uid = record->uid;
  slot->opened = true;
  slot->lastUsedMs = nowMs;
  return slot.get();
}

void RemoteSessions::tick(std::int64_t nowMs) {
  std::erase_if(byConn_, [&](const auto& entry) { return nowMs - entry.second->lastUsedMs >= kIdleMs; });
}

void onHolderChannelMessage(SessionRegistry& sessions, const std::string& payload) {
  json::Document doc;
  doc.Parse(payload.data(), payload.size());
  auto conn = json::string(doc, "conn");
  Session* session = conn ? sessions.find(*conn) : nullptr;
  if (session == nullptr) return;  // ended meanwhile
  if (const auto* message = json::member(doc, "message"); message != nullptr) {
    session->send(server_message::Text(std::make_shared<const std::string>(json::stringify(*message))));
  } else if (json::member(doc, "pong") != nullptr) {
    session->pongReceived();
  } else if (const auto* close = json::member(doc, "close"); close != nullptr) {
    session->close(static_cast<int>(json::int64(*close, "code").value_or(1008)),
                   json::string(*close, "reason").value_or("closed"));
  }
}

}  // namespace wsd
