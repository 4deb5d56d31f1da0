#include "core/mail_request.h"

#include "core/error_codes.h"
#include "core/json.h"
#include "core/mail_message.h"

namespace wsd::mail {
namespace {

std::vector<std::string> recipients(const rapidjson::Value& to) {
  std::vector<std::string> out;
  if (to.IsString()) {
    out.emplace_back(json::view(to));
  } else if (to.IsArray()) {
    for (const auto& item : to.GetArray()) {
      if (item.IsString()) out.emplace_back(json::view(item));
    }
  }
  return out;
}

void addString(rapidjson::Value& obj, const char* name, const std::string& value,
               rapidjson::Document::AllocatorType& alloc) {
  obj.AddMember(rapidjson::StringRef(name),
                rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), alloc), alloc);
}

}  // namespace

Result<MailRequest> fromRequestBody(const rapidjson::Value& body, const SenderDefaults& defaults) {
  MailRequest mail;
  if (const auto* to = json::member(body, "to")) mail.to = recipients(*to);
  mail.subject = json::string(body, "subject").value_or("");
  mail.text = json::string(body, "text").value_or("");
  mail.html = json::string(body, "html").value_or("");
  mail.from = json::string(body, "from").value_or(defaults.from);
  mail.fromName = json::string(body, "fromName").value_or(defaults.fromName);
  if (mail.to.empty()) return makeError(error_codes::kBadRequest.name, "'to' must name at least one address");
  for (const auto& address : mail.to) {
    if (!isValidAddress(address))
      return makeError(error_codes::kInvalidAddress.name, "not a valid mail address: '" + address + "'");
  }
  if (!isValidAddress(mail.from))
    return makeError(error_codes::kInvalidAddress.name, "not a valid sender address: '" + mail.from + "'");
  return mail;
}

void writeInto(Event& event, const MailRequest& mail) {
  auto& alloc = event.alloc();
  rapidjson::Value obj(rapidjson::kObjectType);
  addString(obj, "from", mail.from, alloc);
  addString(obj, "fromName", mail.fromName, alloc);
  rapidjson::Value to(rapidjson::kArrayType);
  for (const auto& address : mail.to) {
    to.PushBack(rapidjson::Value(address.c_str(), static_cast<rapidjson::SizeType>(address.size()), alloc), alloc);
  }
  obj.AddMember("to", to, alloc);
  addString(obj, "subject", mail.subject, alloc);
  addString(obj, "text", mail.text, alloc);
  addString(obj, "html", mail.html, alloc);
  event.data.AddMember("mail", obj, alloc);
}

Result<MailRequest> readFrom(const Event& event) {
  const auto* obj = json::member(event.data, "mail");
  if (obj == nullptr || !obj->IsObject()) return makeError("bad_event", "mail.request " + event.id + " has no mail");
  MailRequest mail;
  mail.from = json::string(*obj, "from").value_or("");
  mail.fromName = json::string(*obj, "fromName").value_or("");
  if (const auto* to = json::member(*obj, "to")) mail.to = recipients(*to);
  mail.subject = json::string(*obj, "subject").value_or("");
  mail.text = json::string(*obj, "text").value_or("");
  mail.html = json::string(*obj, "html").value_or("");
  if (mail.to.empty() || mail.from.empty())
    return makeError("bad_event", "mail.request " + event.id + " lacks to or from");
  return mail;
}

}  // namespace wsd::mail
