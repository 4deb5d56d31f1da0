// Positions and offset lists as text: what users type after --until-offset and what the
// tool prints back.
#include "record.h"

#include <charconv>

namespace wsd::wslog {
namespace {

template <typename Int>
bool number(std::string_view text, Int& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size() && out >= 0;
}

Error bad(std::string_view text) {
  return makeError("bad_offset", "cannot read '" + std::string(text) +
                                     "' as offsets: give N (the embedded log) or PARTITION:N[,PARTITION:N...]");
}

}  // namespace

std::string positionText(Position position, bool partitioned) {
  const std::string offset = std::to_string(position.offset);
  return partitioned ? std::to_string(position.partition) + ":" + offset : offset;
}

Result<Offsets> parseOffsets(std::string_view text) {
  Offsets offsets;
  if (text.empty()) return bad(text);
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto colon = item.find(':');
    std::int32_t partition = 0;
    std::int64_t offset = 0;
    const bool ok = colon == std::string_view::npos
                        ? number(item, offset)
                        : number(item.substr(0, colon), partition) && number(item.substr(colon + 1), offset);
    if (!ok || offsets.contains(partition)) return bad(item);
    offsets[partition] = offset;
  }
  return offsets;
}

std::string offsetsText(const Offsets& offsets) {
  std::string out;
  for (const auto& [partition, offset] : offsets) {
    if (!out.empty()) out += ",";
    out += std::to_string(partition) + ":" + std::to_string(offset);
  }
  return out;
}

}  // namespace wsd::wslog
