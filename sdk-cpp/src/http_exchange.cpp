#include "http_exchange.h"

#include <curl/curl.h>

#include <cctype>
#include <mutex>

namespace wsclient::detail {

void initCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// ---- CurlMulti --------------------------------------------------------------------------

CurlMulti::CurlMulti() : multi_((initCurlOnce(), curl_multi_init())) {}

CurlMulti::~CurlMulti() { curl_multi_cleanup(multi_); }

void CurlMulti::perform() {
  int running = 0;
  curl_multi_perform(multi_, &running);
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &left)) {
    if (msg->msg != CURLMSG_DONE) continue;
    HttpExchange* exchange = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &exchange);
    if (exchange != nullptr) exchange->markFinished(msg->data.result);
  }
}

void CurlMulti::poll(std::chrono::milliseconds maxWait) {
  curl_multi_poll(multi_, nullptr, 0, static_cast<int>(maxWait.count()), nullptr);
}

void CurlMulti::wakeup() { curl_multi_wakeup(multi_); }

// ---- HttpExchange -----------------------------------------------------------------------

HttpExchange::HttpExchange(CurlMulti& multi, const HttpRequest& request)
    : multi_(multi), easy_(curl_easy_init()), requestBody_(request.body) {
  curl_slist* list = nullptr;
  for (const auto& header : request.headers) list = curl_slist_append(list, header.c_str());
  headerList_ = list;
  curl_easy_setopt(easy_, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy_, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connectTimeout.count()));
  curl_easy_setopt(easy_, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy_, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &HttpExchange::onData);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &HttpExchange::onHeader);
  curl_easy_setopt(easy_, CURLOPT_HEADERDATA, this);
  if (request.method == "POST") {
    curl_easy_setopt(easy_, CURLOPT_POST, 1L);
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, requestBody_.c_str());
    curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(requestBody_.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(easy_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_multi_add_handle(multi_.get(), easy_);
}

HttpExchange::~HttpExchange() {
  curl_multi_remove_handle(multi_.get(), easy_);
  curl_easy_cleanup(easy_);
  curl_slist_free_all(static_cast<curl_slist*>(headerList_));
}

std::string HttpExchange::takeBody() {
  std::string out;
  out.swap(body_);
  return out;
}

void HttpExchange::markFinished(int curlCode) {
  finished_ = true;
  if (curlCode != CURLE_OK) error_ = curl_easy_strerror(static_cast<CURLcode>(curlCode));
}

std::string HttpExchange::cookie(const std::string& name) const {
  static const std::string kHeader = "set-cookie:";
  for (const auto& line : headerLines_) {
    if (line.size() <= kHeader.size()) continue;
    bool match = true;
    for (std::size_t i = 0; i < kHeader.size() && match; ++i) {
      match = std::tolower(static_cast<unsigned char>(line[i])) == kHeader[i];
    }
    if (!match) continue;
    std::string value = line.substr(kHeader.size());
    value.erase(0, value.find_first_not_of(' '));
    if (value.compare(0, name.size() + 1, name + "=") != 0) continue;
    value = value.substr(name.size() + 1);
    return value.substr(0, value.find(';'));
  }
  return "";
}

std::size_t HttpExchange::onData(char* data, std::size_t size, std::size_t count, void* self) {
  static_cast<HttpExchange*>(self)->body_.append(data, size * count);
  return size * count;
}

// Keeps the header lines of the final response (a 1xx starts over) and its status.
std::size_t HttpExchange::onHeader(char* data, std::size_t size, std::size_t count, void* self) {
  auto* exchange = static_cast<HttpExchange*>(self);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->headerLines_.clear();
    const auto space = line.find(' ');
    exchange->status_ = space == std::string::npos ? 0 : std::strtol(line.c_str() + space + 1, nullptr, 10);
  } else if (line.empty()) {
    exchange->headersDone_ = exchange->status_ >= 200;
  } else {
    exchange->headerLines_.push_back(std::move(line));
  }
  return size * count;
}

}  // namespace wsclient::detail
