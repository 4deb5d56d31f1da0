#include "fleet.h"

#include <arpa/inet.h>

#include <charconv>

namespace wsbench {

bool hasType(std::string_view json, std::string_view type) {
  const auto at = json.find("\"type\":\"");
  return at != std::string_view::npos && json.substr(at + 8, type.size()) == type &&
         json.substr(at + 8 + type.size(), 1) == "\"";
}

std::int64_t integerField(std::string_view json, std::string_view key) {
  std::string needle = "\"";
  needle.append(key).append("\":");
  const auto at = json.find(needle);
  if (at == std::string_view::npos) return -1;
  std::int64_t value = -1;
  const char* begin = json.data() + at + needle.size();
  std::from_chars(begin, json.data() + json.size(), value);
  return value;
}

std::size_t Fleet::open(int count, Transport transport, const std::string& prefix, double perSecond,
                        std::int64_t deadlineNs) {
  const std::size_t first = members_.size();
  const std::int64_t start = monotonicNs();
  int started = 0;
  auto startDue = [&] {
    const auto due = static_cast<int>(static_cast<double>(monotonicNs() - start) * perSecond / 1e9) + 1;
    for (; started < count && started < due; ++started) {
      startOne(transport, prefix.empty() ? std::string() : prefix + std::to_string(started));
    }
  };
  startDue();
  loop_.run(
      deadlineNs, [&] { return started == count && settled_ == members_.size(); }, 1'000'000, startDue);
  for (std::size_t i = first; i < members_.size(); ++i) {
    if (!members_[i]->ready && !members_[i]->failed) fail(*members_[i], "not ready before the deadline");
  }
  return first;
}

bool Fleet::startOne(Transport transport, const std::string& uid) {
  const std::size_t index = members_.size();
  members_.push_back(std::make_unique<Member>(loop_, transport));
  Member& member = *members_.back();
  member.uid = uid;
  Connection::Target target;
  target.server = server_.address;
  target.host = server_.host;
  target.path = std::string(transport == Transport::kWs ? "/ws" : "/sse") + "?project=" + project_ +
                "&token=" + token_ + "&mode=short";
  // Spread over 127.0.0.1, 127.0.0.2, ...: each source address has its own ports.
  in_addr source{};
  source.s_addr =
      htonl(INADDR_LOOPBACK + static_cast<std::uint32_t>(index) / static_cast<std::uint32_t>(perSourceAddress_));
  member.connection.onMessage = [this, index](std::string_view json) {
    if (members_[index]->ready) {
      if (onMessage) onMessage(index, json);
    } else {
      onSetupMessage(index, json);
    }
  };
  member.connection.onClose = [this, index](const std::string& why) {
    if (!members_[index]->ready) fail(*members_[index], why);
  };
  std::string error;
  if (!member.connection.start(target, source, error)) {
    fail(member, error);
    return false;
  }
  return true;
}

void Fleet::onSetupMessage(std::size_t index, std::string_view json) {
  Member& member = *members_[index];
  if (hasType(json, "connected")) {
    member.connId = jsonString(std::string(json), "connId");
    member.secret = jsonString(std::string(json), "secret");
    if (member.uid.empty()) {
      member.ready = true;
      ++settled_;
    } else {
      bind(member);
    }
  } else if (hasType(json, "bind_success")) {
    member.ready = true;
    ++settled_;
  } else if (hasType(json, "error")) {
    fail(member, std::string(json));
  }
}

// WebSocket binds on its own socket; SSE with a POST tied to its stream (setup only, so
// a blocking call is fine). bind_success arrives on the stream either way.
void Fleet::bind(Member& member) {
  const std::string message = R"({"type":"bind","uid":")" + member.uid + "\"}";
  if (member.transport == Transport::kWs) return member.connection.send(message);
  const std::string path = "/sse?project=" + project_ + "&token=" + token_ + "&connId=" + member.connId;
  const HttpAnswer answer =
      httpCall(server_.address, server_.host, "POST", path, message, {}, {"Wsd-Session-Secret: " + member.secret});
  if (answer.status != 200)
    fail(member, "bind over SSE: " + std::to_string(answer.status) + " " + answer.body + answer.error);
}

void Fleet::fail(Member& member, const std::string& why) {
  if (member.failed || member.ready) return;
  member.failed = true;
  ++settled_;
  if (errors_++ == 0) firstError_ = why;
}

}  // namespace wsbench
