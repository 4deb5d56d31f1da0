#include "mail/http_relay.h"

#include "core/error_codes.h"
#include "core/json.h"
#include "mail/curl_transfer.h"

namespace wsd::mail {
namespace {

constexpr std::size_t kMaxErrorBody = 500;  // of the relay's answer, in the error message

void content(json::Writer& w, const char* type, const std::string& value) {
  w.StartObject();
  json::field(w, "type", type);
  json::field(w, "value", value);
  w.EndObject();
}

}  // namespace

std::string mailChannelsBody(const MailRequest& mail) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::key(w, "personalizations");
  w.StartArray();
  w.StartObject();
  json::key(w, "to");
  w.StartArray();
  for (const auto& address : mail.to) {
    w.StartObject();
    json::field(w, "email", address);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndArray();
  json::key(w, "from");
  w.StartObject();
  json::field(w, "email", mail.from);
  json::field(w, "name", mail.fromName);
  w.EndObject();
  json::field(w, "subject", mail.subject);
  json::key(w, "content");
  w.StartArray();
  // MailChannels wants text/plain before text/html; a mail with neither still has a body.
  if (!mail.text.empty() || mail.html.empty()) content(w, "text/plain", mail.text);
  if (!mail.html.empty()) content(w, "text/html", mail.html);
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<Receipt> HttpRelay::send(const MailRequest& mail, const std::string& requestId) {
  CurlTransfer transfer(options_.timeoutMs);
  CURL* curl = transfer.handle();
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  const std::string body = mailChannelsBody(mail);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!options_.apiKey.empty()) headers = curl_slist_append(headers, ("X-Api-Key: " + options_.apiKey).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  auto done = transfer.perform();
  curl_slist_free_all(headers);
  if (!done.ok()) return done.error();
  const long status = transfer.responseCode();
  if (status < 200 || status >= 300) {
    return makeError(error_codes::kMailRelayFailed.name, "the relay answered HTTP " + std::to_string(status) + ": " +
                                                             transfer.responseBody().substr(0, kMaxErrorBody));
  }
  return Receipt{requestId};
}

}  // namespace wsd::mail
