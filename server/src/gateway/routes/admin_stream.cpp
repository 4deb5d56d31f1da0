#include "gateway/routes/admin_stream.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "core/error_codes.h"
#include "core/json.h"
#include "gateway/net/http.h"
#include "gateway/routes/admin_routes.h"
#include "logging/logger.h"

namespace wsd {
namespace {

constexpr std::size_t kWriteChunkBytes = 65536;

// `event: ready` / `data: {"project","node","ts"}` (schemas/http/admin_events_ready.json).
std::string readyEvent(const GatewayContext& ctx, const std::string& project, std::int64_t nowMs) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "project", project);
  json::field(w, "node", ctx.options.node);
  json::field(w, "ts", nowMs);
  w.EndObject();
  return "event: ready\ndata: " + std::string(buffer.GetString(), buffer.GetSize()) + "\n\n";
}

std::optional<HttpResponse> refusal(const GatewayContext& ctx, const HttpRequest& request) {
  if (!adminAuthorized(ctx, request)) {
    return errorResponse(401, error_codes::kUnauthorized.name,
                         "missing or wrong admin token (Authorization: Bearer ...)");
  }
  const std::string project = request.param("project");
  if (project.empty())
    return errorResponse(400, error_codes::kBadRequest.name, "query parameter 'project' is required");
  if (!ctx.state.project(project))
    return errorResponse(404, error_codes::kProjectNotFound.name, "no project '" + project + "'");
  return std::nullopt;
}

}  // namespace

AdminStream::AdminStream(GatewayContext& ctx) : ctx_(ctx) {
  ctx_.pipeline.observe([this](const Event& event, const Effects&) { onApplied(event); });
}

int AdminStream::open(lws* wsi, const HttpRequest& request) {
  if (auto refused = refusal(ctx_, request)) return writeResponse(wsi, *refused);
  if (writeStreamHeaders(wsi, 200, "text/event-stream", {{"x-accel-buffering", "no"}}) < 0) return -1;
  const std::int64_t now = wallClockMs();
  Reader& reader = readers_[wsi];
  reader = Reader{request.param("project"), {}, 0, now, false};
  holdOpen(wsi);
  readForHangUp(wsi);  // the reader sends nothing more, so what comes is its hang-up
  (void)queue(wsi, reader, readyEvent(ctx_, reader.project, now));
  return 0;
}

void AdminStream::onApplied(const Event& event) {
  if (readers_.empty() || event.project.empty()) return;
  std::string chunk;  // encoded once, for the first reader of the project
  for (auto& [wsi, reader] : readers_) {
    if (reader.project != event.project || reader.dropped) continue;
    if (chunk.empty()) chunk = "id: " + event.id + "\ndata: " + event.encode() + "\n\n";
    (void)queue(wsi, reader, chunk);
  }
}

AdminStream::Queued AdminStream::queue(lws* wsi, Reader& reader, std::string_view chunk) {
  if (reader.dropped) return Queued::kDropped;
  if (reader.waiting() + chunk.size() > kMaxPendingBytes) {
    logging::warn("admin event stream of project=" + reader.project + " dropped: the reader fell " +
                      std::to_string(reader.waiting()) + " bytes behind",
                  {{"project", reader.project}});
    reader.dropped = true;
    reader.pending = std::string();  // frees it
    reader.written = 0;
    closeSoon(wsi);  // its CLOSED_HTTP releases it
    return Queued::kDropped;
  }
  reader.pending.append(chunk);
  askWritable(wsi);
  return Queued::kQueued;
}

int AdminStream::onWritable(lws* wsi) {
  auto it = readers_.find(wsi);
  if (it == readers_.end() || it->second.dropped) return -1;
  Reader& reader = it->second;
  if (reader.waiting() == 0) return 0;
  const std::size_t n = std::min(reader.waiting(), kWriteChunkBytes);
  if (writeStreamChunk(wsi, std::string_view(reader.pending).substr(reader.written, n)) < 0) return -1;
  reader.written += n;
  reader.lastWriteMs = wallClockMs();
  if (reader.written == reader.pending.size()) {
    reader.pending.clear();
    reader.written = 0;
    return 0;
  }
  if (reader.written * 2 >= reader.pending.size()) {  // amortized O(1) a byte
    reader.pending.erase(0, reader.written);
    reader.written = 0;
  }
  askWritable(wsi);
  return 0;
}

void AdminStream::tick(std::int64_t nowMs) {
  for (auto& [wsi, reader] : readers_) {
    if (reader.dropped) continue;
    if (peerHungUp(wsi)) {
      reader.dropped = true;
      closeSoon(wsi);
      continue;
    }
    if (reader.waiting() == 0 && nowMs - reader.lastWriteMs >= ctx_.options.heartbeatMs) {
      reader.lastWriteMs = nowMs;
      (void)queue(wsi, reader, ": keepalive\n\n");
    }
  }
}

}  // namespace wsd
