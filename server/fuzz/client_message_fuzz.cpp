// Fuzzes what a client can send over any transport: parseClientMessage (core/client_message.h)
// and, for what it accepts, decide (core/decide.h) for a connection before and after bind.
// An accepted message must be a schema-valid object, and an event it decides must survive
// encode/decode with its type.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/client_message.h"
#include "core/decide.h"

namespace {

const wsd::SchemaRegistry& schemas() {
  static auto registry = wsd::SchemaRegistry::compile(wsd::embeddedSchemas());
  if (!registry.ok()) std::abort();
  return **registry;
}

void checkDecision(const wsd::Decision& decision) {
  if (decision.kind != wsd::Decision::Kind::kAppend) return;
  if (decision.event == nullptr) std::abort();
  auto decoded = wsd::Event::decode(decision.event->encode());
  if (!decoded.ok() || decoded->type != decision.event->type) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto message = wsd::parseClientMessage(text, schemas());
  if (!message.ok()) {
    if (message.error().code.empty() || message.error().message.empty()) std::abort();
    return 0;
  }
  if (!message->body.IsObject()) std::abort();
  if (wsd::clientTypeFromName(wsd::clientTypeName(message->type)) != message->type) std::abort();

  static wsd::IdGenerator ids;
  wsd::DecideContext context{.node = "fuzz", .nowMs = 1700000000000, .ids = &ids};
  checkDecision(wsd::decide(*message, {.conn = "c1", .project = "p1", .uid = ""}, context));
  checkDecision(wsd::decide(*message, {.conn = "c1", .project = "p1", .uid = "alice"}, context));
  return 0;
}
