// Fuzzes Event::decode (core/event.h), which reads every record of the log on replay and on
// the projector's path: any bytes must come back as an event or an error, and a decoded
// event must encode to bytes that decode to the same envelope. (Not byte for byte: a
// number of more than 15 significant digits may move by an ulp, see core/json.h.)
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/event.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto event = wsd::Event::decode(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!event.ok()) {
    if (event.error().code.empty()) std::abort();
    return 0;
  }
  if (!event->data.IsObject()) std::abort();
  auto again = wsd::Event::decode(event->encode());
  if (!again.ok() || again->type != event->type || again->id != event->id || again->ts != event->ts ||
      again->project != event->project || again->node != event->node || again->conn != event->conn ||
      again->data.MemberCount() != event->data.MemberCount()) {
    std::abort();
  }
  return 0;
}
