// Fetching a live wsd's state snapshot (see the header).
#include "admin_client.h"

#include <curl/curl.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace wsd::wslog {
namespace {

constexpr long kConnectTimeoutSeconds = 10;    // a wsd that does not answer by then is not there
constexpr long kTransferTimeoutSeconds = 300;  // a large state takes a while to serialise and send

std::size_t collect(char* data, std::size_t size, std::size_t count, void* into) {
  static_cast<std::string*>(into)->append(data, size * count);
  return size * count;
}

}  // namespace

Result<std::string> fetchStateSnapshot(const std::string& baseUrl, const std::string& adminToken) {
  std::string url = baseUrl;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/admin/state-snapshot";
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return makeError("wsd_unreachable", "cannot start an HTTP client");
  const std::string header = "Authorization: Bearer " + adminToken;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(curl_slist_append(nullptr, header.c_str()),
                                                                      curl_slist_free_all);
  std::string body;
  char reason[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, reason);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, kTransferTimeoutSeconds);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  const CURLcode done = curl_easy_perform(curl.get());
  if (done != CURLE_OK) {
    return makeError("wsd_unreachable", url + ": " + (reason[0] != '\0' ? reason : curl_easy_strerror(done)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) return makeError("wsd_refused", url + " answered " + std::to_string(status) + ": " + body);
  return body;
}

Result<std::string> readAdminToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) return makeError("usage", "cannot read the admin token from " + path);
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  const auto first = token.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return makeError("usage", path + " holds no admin token");
  token = token.substr(first, token.find_last_not_of(" \t\r\n") - first + 1);
  return token;
}

}  // namespace wsd::wslog
