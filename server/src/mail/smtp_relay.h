// The SMTP relay, on libcurl: smtp:// (STARTTLS as configured) or smtps:// (TLS from the
// first byte), optional AUTH, one message per connection. The message itself is composed
// by core/mail_message (RFC 5322 + MIME); this file only moves it.
#pragma once

#include <cstdint>
#include <string>

#include "mail/relay.h"

namespace wsd::mail {

struct SmtpOptions {
  std::string url;  // smtp://host:port or smtps://host:port
  std::string user;
  std::string password;
  std::string starttls = "try";  // try | require | off
  std::int64_t timeoutMs = 30000;
};

class SmtpRelay final : public Relay {
 public:
  explicit SmtpRelay(SmtpOptions options) : options_(std::move(options)) {}
  Result<Receipt> send(const MailRequest& mail, const std::string& requestId) override;
  const char* name() const override { return "smtp"; }

 private:
  SmtpOptions options_;
};

}  // namespace wsd::mail
