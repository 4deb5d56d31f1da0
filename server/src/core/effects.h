// Effects: what applying one event asks the gateways to do. The projector computes them
// from the state at the event's position in the log, so every gateway that applies the
// same log reaches the same decisions; each gateway carries out the part that concerns
// the connections it holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/server_messages.h"

namespace wsd {

struct Delivery {
  enum class To { kConn, kProject };
  To to = To::kConn;
  std::string target;      // a connId, or a project key for kProject
  std::string exceptConn;  // kProject: this connection is skipped
  server_message::Text message;
};

struct CloseOrder {
  std::string conn;
  int code = 1000;
  std::string reason;
};

// The rate-limit decision on a mail.request: the same on every process that applies it,
// since it depends only on the log before it.
struct MailDecision {
  bool accepted = false;
  std::int64_t count = 0;         // the token's accepted mails in the window, this one included
  std::int64_t max = 0;           // the limit the request was made under
  std::int64_t retryAfterMs = 0;  // refused: when the oldest mail in the window leaves it
};

struct Effects {
  std::vector<Delivery> deliveries;  // in the order they must be sent
  std::vector<CloseOrder> closes;    // after the deliveries
  std::optional<Error> rejection;    // an admin action (or mail request) the state did not allow
  std::optional<MailDecision> mail;  // mail.request: what was decided

  void toConn(const std::string& conn, server_message::Text message) {
    deliveries.push_back({Delivery::To::kConn, conn, {}, std::move(message)});
  }
  void toConns(const std::vector<std::string>& conns, const server_message::Text& message) {
    for (const auto& conn : conns) toConn(conn, message);
  }
  void toProject(const std::string& project, server_message::Text message, std::string except = {}) {
    deliveries.push_back({Delivery::To::kProject, project, std::move(except), std::move(message)});
  }
  void close(const std::vector<std::string>& conns, int code, const std::string& reason) {
    for (const auto& conn : conns) closes.push_back({conn, code, reason});
  }
};

}  // namespace wsd
