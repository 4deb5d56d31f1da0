#include "mail/curl_transfer.h"

#include <algorithm>

#include "core/error_codes.h"

namespace wsd::mail {
namespace {

constexpr std::size_t kMaxResponseBytes = 64 * 1024;  // an error page is shown, not stored whole

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

CurlTransfer::CurlTransfer(std::int64_t timeoutMs) : curl_(curl_easy_init()) {
  if (curl_ == nullptr) return;
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeoutMs));
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<std::int64_t>(timeoutMs, 10000)));
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &CurlTransfer::write);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
  // The debug callback is how curl shows the server's replies (SMTP responses arrive as
  // "header in"); it only runs with VERBOSE, and prints nothing itself.
  curl_easy_setopt(curl_, CURLOPT_DEBUGFUNCTION, &CurlTransfer::debug);
  curl_easy_setopt(curl_, CURLOPT_DEBUGDATA, this);
  curl_easy_setopt(curl_, CURLOPT_VERBOSE, 1L);
}

CurlTransfer::~CurlTransfer() {
  if (curl_ != nullptr) curl_easy_cleanup(curl_);
}

void CurlTransfer::upload(std::string body) {
  body_ = std::move(body);
  sent_ = 0;
  curl_easy_setopt(curl_, CURLOPT_READFUNCTION, &CurlTransfer::read);
  curl_easy_setopt(curl_, CURLOPT_READDATA, this);
}

Status CurlTransfer::perform() {
  if (curl_ == nullptr) return makeError(error_codes::kMailRelayFailed.name, "libcurl could not start a transfer");
  const CURLcode code = curl_easy_perform(curl_);
  if (code == CURLE_OK) return okStatus();
  std::string reason = error_[0] != '\0' ? trimmed(error_) : curl_easy_strerror(code);
  if (!lastServerLine_.empty()) reason += " (the relay said: " + lastServerLine_ + ")";
  return makeError(error_codes::kMailRelayFailed.name, reason);
}

long CurlTransfer::responseCode() const {
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::size_t CurlTransfer::read(char* buffer, std::size_t size, std::size_t count, void* self) {
  auto* t = static_cast<CurlTransfer*>(self);
  const std::size_t n = std::min(size * count, t->body_.size() - t->sent_);
  std::copy_n(t->body_.data() + t->sent_, n, buffer);
  t->sent_ += n;
  return n;
}

std::size_t CurlTransfer::write(const char* data, std::size_t size, std::size_t count, void* self) {
  auto* t = static_cast<CurlTransfer*>(self);
  const std::size_t n = size * count;
  t->response_.append(data, std::min(n, kMaxResponseBytes - std::min(kMaxResponseBytes, t->response_.size())));
  return n;
}

int CurlTransfer::debug(CURL*, curl_infotype type, char* data, std::size_t size, void* self) {
  if (type != CURLINFO_HEADER_IN) return 0;
  auto line = trimmed(std::string(data, size));
  if (!line.empty()) static_cast<CurlTransfer*>(self)->lastServerLine_ = std::move(line);
  return 0;
}

}  // namespace wsd::mail
