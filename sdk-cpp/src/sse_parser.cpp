#include "sse_parser.h"

namespace wsclient::detail {

std::vector<std::string> SseParser::feed(std::string_view bytes) {
  std::vector<std::string> out;
  pending_.append(bytes);
  std::size_t start = 0;
  for (auto end = pending_.find('\n', start); end != std::string::npos; end = pending_.find('\n', start)) {
    std::string_view text(pending_.data() + start, end - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line(text, out);
    start = end + 1;
  }
  pending_.erase(0, start);
  return out;
}

void SseParser::line(std::string_view text, std::vector<std::string>& out) {
  if (text.empty()) {  // the blank line ends an event
    if (hasData_) out.push_back(std::move(data_));
    data_.clear();
    hasData_ = false;
    return;
  }
  if (text.front() == ':') return;  // a comment (wsd's ": keepalive")
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (hasData_) data_ += '\n';
    data_.append(value);
    hasData_ = true;
  } else if (field == "id") {
    lastEventId_ = std::string(value);
  }
}

}  // namespace wsclient::detail
