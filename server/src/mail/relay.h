// A mail relay: where the mailer hands a mail over. Implementations: SmtpRelay (an SMTP
// or SMTPS server, e.g. the operator's MTA or a provider's submission port) and
// HttpRelay (a JSON API compatible with MailChannels' send API).
//
// Threads: send() blocks (every wait bounded by the relay's timeout) and runs on the
// mailer's own thread, never on a loop that serves clients.
#pragma once

#include <string>

#include "core/mail_request.h"
#include "core/result.h"

namespace wsd::mail {

// What a relay answers for a mail it took.
struct Receipt {
  std::string messageId;  // the Message-ID we gave it (SMTP) or the relay's own id
};

class Relay {
 public:
  virtual ~Relay() = default;
  // `requestId` is the mail.request's event id: unique, so it names the message.
  // Fails with code `mail_relay_failed` and the relay's own words where it gave any.
  virtual Result<Receipt> send(const MailRequest& mail, const std::string& requestId) = 0;
  virtual const char* name() const = 0;  // "smtp" or "http", as mail.sent records it
};

}  // namespace wsd::mail
