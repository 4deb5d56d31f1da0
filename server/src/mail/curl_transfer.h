// One blocking libcurl transfer with the settings both relays share: bounded connect and
// total time, no signals (the mailer runs on a thread of its own), the error buffer, and
// the last line the server said (an SMTP reply such as "554 5.7.1 relay refused" is
// what an operator needs to see, and curl's own message omits it).
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <string>

#include "core/result.h"

namespace wsd::mail {

class CurlTransfer {
 public:
  explicit CurlTransfer(std::int64_t timeoutMs);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  CURL* handle() { return curl_; }
  // Sends `body` as the upload (SMTP DATA) or the POST body (HTTP).
  void upload(std::string body);
  // Runs the transfer. Fails with `mail_relay_failed`: curl's reason, and the server's
  // last reply line when there was one.
  Status perform();
  long responseCode() const;
  const std::string& responseBody() const { return response_; }

 private:
  static std::size_t read(char* buffer, std::size_t size, std::size_t count, void* self);
  static std::size_t write(const char* data, std::size_t size, std::size_t count, void* self);
  static int debug(CURL* handle, curl_infotype type, char* data, std::size_t size, void* self);

  CURL* curl_;
  char error_[CURL_ERROR_SIZE] = {};
  std::string body_;
  std::size_t sent_ = 0;
  std::string response_;
  std::string lastServerLine_;
};

}  // namespace wsd::mail
