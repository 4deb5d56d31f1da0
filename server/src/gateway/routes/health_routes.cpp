#include "gateway/routes/health_routes.h"

#include <array>

#include "core/error_codes.h"
#include "core/json.h"
#include "gateway/cluster/change_acks.h"
#include "gateway/metrics/process_metrics.h"
#include "logging/logger.h"

namespace wsd {
namespace {

constexpr std::array<Transport, 3> kTransports = {Transport::kWebSocket, Transport::kSse, Transport::kPoll};

metrics::Family gauge(std::string name, std::string help, double value, metrics::Labels labels = {}) {
  return {std::move(name), std::move(help), metrics::Kind::kGauge, {{"", std::move(labels), value}}};
}

metrics::Family connectionFamily(const SessionRegistry& sessions, bool opened) {
  metrics::Family family{opened ? "wsd_connections_opened_total" : "wsd_connections",
                         opened ? "Client sessions opened on this gateway since it started, by transport"
                                : "Client sessions this gateway holds now, by transport",
                         opened ? metrics::Kind::kCounter : metrics::Kind::kGauge,
                         {}};
  for (auto t : kTransports) {
    const auto value = opened ? sessions.openedCount(t) : sessions.liveCount(t);
    family.samples.push_back({"", {{"transport", transportName(t)}}, static_cast<double>(value)});
  }
  return family;
}

// Stored offline messages in this process's projections. O(uids with an inbox).
void addInboxFamilies(const store::ProjectStore& projects, const store::InboxStore& inboxes,
                      std::vector<metrics::Family>& out) {
  std::size_t messages = 0;
  std::size_t uids = 0;
  for (const auto& project : projects.projects()) {
    for (const auto& uid : inboxes.inboxUids(project.key)) {
      ++uids;
      messages += inboxes.inboxSize(project.key, uid);
    }
  }
  out.push_back(gauge("wsd_inbox_messages", "Offline messages stored, over every project and uid",
                      static_cast<double>(messages)));
  out.push_back(gauge("wsd_inbox_uids", "Uids with at least one stored offline message", static_cast<double>(uids)));
}

// The process_* families; without them (not Linux, or /proc hidden) the scrape still
// answers, and the log says why they are missing.
void addProcessFamilies(std::vector<metrics::Family>& out) {
  auto families = processFamilies();
  if (!families.ok()) {
    logging::warn("/metrics: no process_* metrics: " + families.error().message);
    return;
  }
  for (auto& family : *families) out.push_back(std::move(family));
}

// `{"status":"ok"|"error", ["code","msg",] "checks":{name: "ok" | problem}}`.
HttpResponse readiness(GatewayContext& ctx) {
  std::vector<std::pair<std::string, std::string>> checks{{"log", ctx.metrics.log.problem()}};
  for (const auto& probe : ctx.metrics.probes) checks.emplace_back(probe.name, probe.problem());
  std::string failing;
  for (const auto& [name, problem] : checks) {
    if (!problem.empty()) failing += (failing.empty() ? "" : "; ") + name + ": " + problem;
  }
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "status", failing.empty() ? "ok" : "error");
  if (!failing.empty()) {
    json::field(w, "code", error_codes::kNotReady.name);
    json::field(w, "msg", failing);
  }
  json::key(w, "checks");
  w.StartObject();
  for (const auto& [name, problem] : checks) json::field(w, name, problem.empty() ? "ok" : problem);
  w.EndObject();
  w.EndObject();
  return HttpResponse{
      failing.empty() ? 200 : 503, std::string(buffer.GetString(), buffer.GetSize()), "application/json", {}};
}

}  // namespace

std::vector<metrics::Family> collectMetrics(GatewayContext& ctx) {
  const GatewayMetrics& m = ctx.metrics;
  std::vector<metrics::Family> out;
  out.push_back(gauge("wsd_build_info", "Always 1; the labels say which wsd and which node", 1,
                      {{"version", ctx.options.version}, {"node", ctx.options.node}}));
  if (ctx.changeAcks != nullptr) {
    out.push_back(gauge("wsd_gateway_peers",
                        "Other gateways this one hears from (with Kafka): an admin change taken here is answered "
                        "once each of them has applied it",
                        static_cast<double>(ctx.changeAcks->livePeers(wallClockMs()).size())));
  }
  out.push_back(connectionFamily(ctx.sessions, false));
  out.push_back(connectionFamily(ctx.sessions, true));
  out.push_back(m.messagesIn.family("wsd_messages_in_total",
                                    "Client messages received, by type (invalid: not JSON or not a known message)"));
  out.push_back(m.messagesOut.family("wsd_messages_out_total",
                                     "Server messages queued to the sessions this gateway holds, by type"));
  out.push_back(m.disconnects.family("wsd_disconnects_total",
                                     "Client sessions this gateway ended, by reason and WebSocket close code"));
  out.push_back(m.logAppend.family("wsd_log_append_seconds",
                                   "Time from handing an event to the log to the log's answer (written, or "
                                   "acknowledged by the Kafka broker)"));
  out.push_back({"wsd_log_append_failures_total",
                 "Events the log did not take (clients got log_unavailable)",
                 metrics::Kind::kCounter,
                 {{"", {}, static_cast<double>(m.logAppendFailures.get())}}});
  out.push_back(gauge("wsd_projects", "Projects in this process's projections",
                      static_cast<double>(ctx.state.projects().size())));
  addInboxFamilies(ctx.state, ctx.state, out);
  out.push_back(m.mailRequests.family("wsd_mail_requests_total",
                                      "POST /mail requests answered by this gateway, by outcome (sent, or the "
                                      "error code answered)",
                                      "outcome", {"sent"}));
  out.push_back(m.mailDeliveries.family("wsd_mail_deliveries_total",
                                        "Mails the mailer handed to the relay (sent) or gave up on (failed), as "
                                        "recorded in the log"));
  out.push_back(m.webhookDeliveries.family("wsd_webhook_deliveries_total",
                                           "Webhook deliveries answered 2xx (delivered) or given up after their "
                                           "retries (failed), as recorded in the log"));
  out.push_back(gauge("wsd_held_output_bytes",
                      "Bytes of messages the sessions of this gateway hold for their clients (queued, or kept "
                      "for an SSE resume)",
                      static_cast<double>(ctx.sessions.output().held())));
  out.push_back(m.overBudget.family("wsd_sessions_over_budget_total",
                                    "Sessions ended for holding more output than allowed: too many messages "
                                    "(messages), too many bytes (session), or the most while the process held "
                                    "more than its budget (process)",
                                    "budget", {"messages", "session", "process"}));
  for (const auto& collect : m.collectors) collect(out);
  addProcessFamilies(out);
  return out;
}

HttpResponse healthResponse(GatewayContext& ctx, const HttpRequest& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    return errorResponse(405, error_codes::kMethodNotAllowed.name, request.path + " answers GET only");
  }
  if (request.path == "/healthz") return HttpResponse{200, R"({"status":"ok"})", "application/json", {}};
  if (request.path == "/readyz") return readiness(ctx);
  return HttpResponse{200, metrics::render(collectMetrics(ctx)), metrics::kContentType, {}};
}

}  // namespace wsd
