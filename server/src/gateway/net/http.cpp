#include "gateway/net/http.h"

#include <strings.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/error_codes.h"
#include "core/json.h"
#include "gateway/net/connection_state.h"

namespace wsd {
namespace {

std::string methodOf(lws* wsi) {
  static const std::pair<lws_token_indexes, const char*> kMethods[] = {
      {WSI_TOKEN_GET_URI, "GET"},     {WSI_TOKEN_POST_URI, "POST"},     {WSI_TOKEN_OPTIONS_URI, "OPTIONS"},
      {WSI_TOKEN_PATCH_URI, "PATCH"}, {WSI_TOKEN_DELETE_URI, "DELETE"}, {WSI_TOKEN_PUT_URI, "PUT"},
      {WSI_TOKEN_HEAD_URI, "HEAD"},
  };
  for (const auto& [token, name] : kMethods) {
    if (lws_hdr_total_length(wsi, token) > 0) return name;
  }
  return "GET";
}

void readQuery(lws* wsi, HttpRequest& request) {
  char fragment[4096];
  for (int i = 0;; ++i) {
    int n = lws_hdr_copy_fragment(wsi, fragment, sizeof(fragment), WSI_TOKEN_HTTP_URI_ARGS, i);
    if (n < 0) break;
    request.query.push_back(splitQueryArgument(std::string_view(fragment, static_cast<std::size_t>(n))));
  }
}

// CORS: a request from a page (it has an Origin) is answered for that origin, with
// credentials, so the wsd_conn cookie may travel with a page's fetch and EventSource;
// `Vary: Origin` keeps caches from handing one origin's answer to another. Whether the
// origin may act at all is the project's allowlist's to say (handshake.h): a refused
// request gets 403 origin_not_allowed, readable by the page that sent it.
int addCommonHeaders(lws* wsi, unsigned char** p, unsigned char* end,
                     const std::vector<std::pair<std::string, std::string>>& extra) {
  const std::string origin = headerValue(wsi, WSI_TOKEN_ORIGIN);
  const bool fromPage = !origin.empty();
  const std::pair<const char*, std::string> kCors[] = {
      {"access-control-allow-origin:", fromPage ? origin : std::string("*")},
      {"access-control-allow-methods:", "GET, POST, PATCH, DELETE, OPTIONS"},
      {"access-control-allow-headers:", "Authorization, Content-Type, Last-Event-ID, Wsd-Session-Secret"},
      {"cache-control:", "no-store"},
      {"vary:", "Origin"},
      {"access-control-allow-credentials:", fromPage ? "true" : ""},
  };
  for (const auto& [name, value] : kCors) {
    if (value.empty()) continue;
    if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(name),
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), p, end)) {
      return -1;
    }
  }
  for (const auto& [name, value] : extra) {
    std::string lowered = name + ":";
    for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>(lowered.c_str()),
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), p, end)) {
      return -1;
    }
  }
  return 0;
}

// The tokens that carry the request target: each method's (the path) and the query's.
constexpr lws_token_indexes kTargetTokens[] = {
    WSI_TOKEN_GET_URI,    WSI_TOKEN_POST_URI, WSI_TOKEN_OPTIONS_URI, WSI_TOKEN_PATCH_URI,
    WSI_TOKEN_DELETE_URI, WSI_TOKEN_PUT_URI,  WSI_TOKEN_HEAD_URI,    WSI_TOKEN_HTTP_URI_ARGS,
};

bool isTargetToken(int token) {
  for (auto target : kTargetTokens) {
    if (target == token) return true;
  }
  return false;
}

// Whether any fragment of `token` (a part of the target, one header line) was cut.
bool wasCut(lws* wsi, lws_token_indexes token) {
  for (int i = 0;; ++i) {
    const int length = lws_hdr_fragment_length(wsi, token, i);
    if (length <= 0) return false;
    if (length >= kMaxHeaderFieldBytes) return true;
  }
}

bool closesAfterAnswer(lws* wsi) {
  const auto* pc = perConnection(wsi);
  return pc != nullptr && pc->http != nullptr && pc->http->closeAfterAnswer;
}

}  // namespace

const lws_token_limits* headerTokenLimits() {
  static const lws_token_limits limits = [] {
    lws_token_limits all{};
    for (auto& limit : all.token_limit) limit = kMaxHeaderFieldBytes;
    return all;
  }();
  return &limits;
}

std::string headerValue(lws* wsi, lws_token_indexes token) {
  int length = lws_hdr_total_length(wsi, token);
  if (length <= 0) return {};
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  if (lws_hdr_copy(wsi, value.data(), length + 1, token) < 0) return {};
  value.resize(static_cast<std::size_t>(length));
  return value;
}

// O(header tokens): about a hundred length lookups per request head.
std::optional<HttpResponse> oversizedHead(lws* wsi) {
  for (auto token : kTargetTokens) {
    if (wasCut(wsi, token)) {
      return errorResponse(
          414, error_codes::kUriTooLong.name,
          "the request target is too long (each part at most " + std::to_string(kMaxHeaderFieldBytes - 1) + " bytes)");
    }
  }
  for (int token = 0; token < WSI_TOKEN_COUNT; ++token) {
    if (!isTargetToken(token) && wasCut(wsi, static_cast<lws_token_indexes>(token))) {
      return errorResponse(
          431, error_codes::kHeadersTooLarge.name,
          "a request header is too long (at most " + std::to_string(kMaxHeaderFieldBytes - 1) + " bytes each)");
    }
  }
  return std::nullopt;
}

HttpRequest readRequest(lws* wsi, std::string_view path) {
  HttpRequest request;
  request.method = methodOf(wsi);
  request.path = std::string(pathOfUri(path));
  readQuery(wsi, request);
  request.authorization = headerValue(wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
  request.cookie = headerValue(wsi, WSI_TOKEN_HTTP_COOKIE);
  request.origin = headerValue(wsi, WSI_TOKEN_ORIGIN);
  char lastId[256];
  int n = lws_hdr_custom_copy(wsi, lastId, sizeof(lastId), "last-event-id:", 14);
  if (n > 0) request.lastEventId.assign(lastId, static_cast<std::size_t>(n));
  char secret[128];
  n = lws_hdr_custom_copy(wsi, secret, sizeof(secret), "wsd-session-secret:", 19);
  if (n > 0) request.sessionSecret.assign(secret, static_cast<std::size_t>(n));
  char proto[16];
  n = lws_hdr_custom_copy(wsi, proto, sizeof(proto), "x-forwarded-proto:", 18);
  request.secure = lws_is_ssl(wsi) != 0 || (n == 5 && strncasecmp(proto, "https", 5) == 0);
  return request;
}

int writeResponse(lws* wsi, const HttpResponse& response, bool completeTransaction) {
  const bool closing = completeTransaction && closesAfterAnswer(wsi);
  std::vector<unsigned char> buffer(LWS_PRE + 4096 + response.body.size());
  unsigned char* start = buffer.data() + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = start + 4096;
  auto headers = response.headers;
  if (closing) headers.emplace_back("Connection", "close");
  if (lws_add_http_common_headers(wsi, static_cast<unsigned>(response.status), response.contentType.c_str(),
                                  response.body.size(), &p, end) ||
      addCommonHeaders(wsi, &p, end, headers) || lws_finalize_http_header(wsi, &p, end)) {
    return -1;
  }
  // Headers and body go out in one write so a small answer is one packet.
  std::memcpy(p, response.body.data(), response.body.size());
  p += response.body.size();
  if (lws_write(wsi, start, static_cast<std::size_t>(p - start), LWS_WRITE_HTTP_FINAL) < 0) return -1;
  if (closing) return -1;
  if (completeTransaction && lws_http_transaction_completed(wsi)) return -1;
  return 0;
}

std::string errorBody(std::string_view code, std::string_view message) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "status", "error");
  json::field(w, "code", code);
  json::field(w, "msg", message);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

HttpResponse errorResponse(int status, std::string_view code, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.body = errorBody(code, message);
  return response;
}

HttpResponse successResponse(const std::function<void(json::Writer&)>& fields) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::field(w, "status", "success");
  fields(w);
  w.EndObject();
  return HttpResponse{200, std::string(buffer.GetString(), buffer.GetSize()), "application/json", {}};
}

int writeStreamHeaders(lws* wsi, int status, const char* contentType,
                       const std::vector<std::pair<std::string, std::string>>& headers) {
  unsigned char buffer[LWS_PRE + 2048];
  unsigned char* start = buffer + LWS_PRE;
  unsigned char* p = start;
  unsigned char* end = buffer + sizeof(buffer) - 1;
  if (lws_add_http_common_headers(wsi, static_cast<unsigned>(status), contentType, LWS_ILLEGAL_HTTP_CONTENT_LEN, &p,
                                  end) ||
      addCommonHeaders(wsi, &p, end, headers) || lws_finalize_write_http_header(wsi, start, &p, end)) {
    return -1;
  }
  return 0;
}

bool peerHungUp(lws* wsi) {
  char byte;
  const ssize_t n = ::recv(lws_get_socket_fd(wsi), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void closeSoon(lws* wsi) { lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC); }

void holdOpen(lws* wsi) { lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0); }

void readForHangUp(lws* wsi) { lws_rx_flow_control(wsi, 1); }

void askWritable(lws* wsi) { lws_callback_on_writable(wsi); }

int writeStreamChunk(lws* wsi, std::string_view data) {
  std::vector<unsigned char> buffer(LWS_PRE + data.size());
  std::memcpy(buffer.data() + LWS_PRE, data.data(), data.size());
  return lws_write(wsi, buffer.data() + LWS_PRE, data.size(), LWS_WRITE_HTTP) < 0 ? -1 : 0;
}

}  // namespace wsd
