// One HTTP request on a libcurl multi handle (CurlMulti), for the SSE and long-polling
// transports. libcurl's callbacks only fill buffers; the transports read them after
// CurlMulti::perform() returns, because libcurl forbids touching the multi handle (adding
// a POST, say) from inside its callbacks.
//
// Locality: the I/O thread, except CurlMulti::wakeup() (any thread).
#pragma once

#include <chrono>
#include <string>
#include <vector>

using CURL = void;
using CURLM = void;

namespace wsclient::detail {

// The process-wide curl_global_init, done once (thread-safe); never cleaned up.
void initCurlOnce();

class CurlMulti {
 public:
  CurlMulti();
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  CURLM* get() const { return multi_; }
  // Moves every transfer along and marks finished ones (HttpExchange::finished()).
  void perform();
  // Waits for socket activity, wakeup() or `maxWait`.
  void poll(std::chrono::milliseconds maxWait);
  void wakeup();

 private:
  CURLM* multi_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::string body;
  std::vector<std::string> headers;
  std::chrono::milliseconds connectTimeout{10000};
  std::chrono::milliseconds timeout{0};  // the whole exchange; 0: none (streams)
};

class HttpExchange {
 public:
  // Adds the request to `multi`; it starts at the next perform().
  HttpExchange(CurlMulti& multi, const HttpRequest& request);
  ~HttpExchange();  // removes it from the multi (aborting it if still running)
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  // The response status once the headers are in (0 before, and on transport errors).
  long status() const { return status_; }
  bool headersDone() const { return headersDone_; }
  // The value of the first `Set-Cookie` for `name` ("" if none).
  std::string cookie(const std::string& name) const;
  // Body bytes received since the last call.
  std::string takeBody();
  bool finished() const { return finished_; }
  bool failed() const { return finished_ && !error_.empty(); }
  const std::string& error() const { return error_; }  // libcurl's words for a transport error

  // For CurlMulti::perform().
  void markFinished(int curlCode);

 private:
  static std::size_t onData(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self);

  CurlMulti& multi_;
  CURL* easy_;
  void* headerList_ = nullptr;
  std::string requestBody_;
  std::string body_;
  std::vector<std::string> headerLines_;
  long status_ = 0;
  bool headersDone_ = false;
  bool finished_ = false;
  std::string error_;
};

}  // namespace wsclient::detail
