// A text/event-stream parser (the WHATWG "event stream interpretation", the parts wsd
// uses: data, id, comments; `event` and `retry` are read and ignored). Incremental: feed
// it chunks as they come, split anywhere.
//
// Locality: one transport's, on the I/O thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wsclient::detail {

class SseParser {
 public:
  // The `data` of every event completed by `bytes` (events without data are skipped).
  std::vector<std::string> feed(std::string_view bytes);
  // The last `id` seen ("" before any): wsd's "<connId>:<seq>", the resume token.
  const std::string& lastEventId() const { return lastEventId_; }

 private:
  void line(std::string_view text, std::vector<std::string>& out);

  std::string pending_;  // an unfinished line
  std::string data_;
  bool hasData_ = false;
  std::string lastEventId_;
};

}  // namespace wsclient::detail
