#include "mail/smtp_relay.h"

#include <chrono>

#include "core/mail_message.h"
#include "mail/curl_transfer.h"

namespace wsd::mail {
namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string domainOf(const std::string& address) { return address.substr(address.rfind('@') + 1); }

curl_usessl tlsPolicy(const std::string& starttls) {
  if (starttls == "require") return CURLUSESSL_ALL;
  if (starttls == "off") return CURLUSESSL_NONE;
  return CURLUSESSL_TRY;
}

// curl's list of recipients; freed with the transfer.
struct Recipients {
  curl_slist* list = nullptr;
  ~Recipients() { curl_slist_free_all(list); }
};

}  // namespace

Result<Receipt> SmtpRelay::send(const MailRequest& mail, const std::string& requestId) {
  Message message;
  message.from = mail.from;
  message.fromName = mail.fromName;
  message.to = mail.to;
  message.subject = mail.subject;
  message.text = mail.text;
  message.html = mail.html;
  message.dateMs = nowMs();
  message.messageId = requestId + "@" + domainOf(mail.from);
  message.boundary = "=_wsd_" + requestId;

  CurlTransfer transfer(options_.timeoutMs);
  CURL* curl = transfer.handle();
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(tlsPolicy(options_.starttls)));
  if (!options_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const std::string sender = "<" + mail.from + ">";
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, sender.c_str());
  Recipients recipients;
  for (const auto& to : mail.to) recipients.list = curl_slist_append(recipients.list, ("<" + to + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.list);
  transfer.upload(compose(message));
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  if (auto sent = transfer.perform(); !sent.ok()) return sent.error();
  return Receipt{message.messageId};
}

}  // namespace wsd::mail
