// Plain HTTP requests (libcurl): the admin API, POST /sse and /poll, polling GETs.
// Threads: any; each call uses its own handle.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace wsconform {

struct HttpResult {
  long status = 0;  // 0: no answer (the error says why)
  std::string body;
  std::string error;
  std::vector<std::string> headers;  // "name: value" lines
};

// `cancel`, when set, aborts the request as soon as it turns true (a held poll, a stream).
// `onData`, when set, receives the body as it arrives instead of collecting it.
HttpResult httpRequest(const std::string& method, const std::string& url, const std::string& body,
                       const std::vector<std::string>& headers, std::chrono::milliseconds timeout,
                       const std::atomic<bool>* cancel = nullptr,
                       const std::function<void(std::string_view)>& onData = {});

// "a b" -> "a%20b"
std::string urlEncode(const std::string& text);

}  // namespace wsconform
