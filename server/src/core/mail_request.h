// A mail as a client asked for it (POST /mail), and how it travels in the log: parsed and
// checked once on the gateway, written whole into mail.request, read back by the mailer.
// Pure: no I/O, no clock.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace wsd::mail {

struct MailRequest {
  std::string from;      // the sender's address (the configured default when not given)
  std::string fromName;  // display name (the configured default when not given)
  std::vector<std::string> to;
  std::string subject;
  std::string text;
  std::string html;
};

struct SenderDefaults {
  std::string from = "noreply@localhost.localdomain";
  std::string fromName = "WebSocket Server";
};

// `body` has passed schemas/http/mail_request.json. Fails with `invalid_address` naming
// the first address a relay would refuse.
Result<MailRequest> fromRequestBody(const rapidjson::Value& body, const SenderDefaults& defaults);

// data.mail of a mail.request event, and back.
void writeInto(Event& event, const MailRequest& mail);
Result<MailRequest> readFrom(const Event& event);

}  // namespace wsd::mail
