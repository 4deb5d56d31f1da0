// The HTTP relay: one POST of JSON per mail to an API compatible with MailChannels'
// /tx/v1/send (personalizations, from, subject, content), on libcurl. Any 2xx is taken
// as sent; otherwise the relay's status and body become the error.
#pragma once

#include <cstdint>
#include <string>

#include "mail/relay.h"

namespace wsd::mail {

struct HttpRelayOptions {
  std::string url;
  std::string apiKey;  // sent as X-Api-Key when not empty
  std::int64_t timeoutMs = 30000;
};

// The request body for `mail` (pure; exposed for tests).
std::string mailChannelsBody(const MailRequest& mail);

class HttpRelay final : public Relay {
 public:
  explicit HttpRelay(HttpRelayOptions options) : options_(std::move(options)) {}
  Result<Receipt> send(const MailRequest& mail, const std::string& requestId) override;
  const char* name() const override { return "http"; }

 private:
  HttpRelayOptions options_;
};

}  // namespace wsd::mail
