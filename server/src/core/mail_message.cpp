#include "core/mail_message.h"

#include <algorithm>
#include <ctime>

namespace wsd::mail {
namespace {

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kBase64[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    auto n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kBase64[(n >> 18) & 63];
    out += kBase64[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Base64 in lines of 76 characters, each ended by CRLF.
std::string base64Lines(std::string_view bytes) {
  const std::string encoded = base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) out.append(encoded, i, 76).append("\r\n");
  return out;
}

bool printableAscii(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Length of the UTF-8 character starting with `lead`.
std::size_t utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;  // not UTF-8: one byte at a time, still valid base64
}

// A display name as a header phrase: quoted when plain ASCII, encoded words otherwise.
std::string phrase(std::string_view name, std::size_t used) {
  if (!printableAscii(name)) return encodeHeaderWords(name, used);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

std::string part(std::string_view contentType, std::string_view body) {
  std::string out = "Content-Type: ";
  out.append(contentType).append("; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
  return out + base64Lines(body);
}

}  // namespace

// Bytes of text one encoded word may carry when `used` characters precede it on its
// line: "=?UTF-8?B?" + base64 + "?=" fits in 78 - used, and never passes 75 (RFC 2047).
std::size_t bytesPerWord(std::size_t used) {
  const std::size_t room = std::min<std::size_t>(75, used < 66 ? 78 - used : 12) - 12;
  return std::max<std::size_t>(3, room / 4 * 3);
}

std::string encodeHeaderWords(std::string_view text, std::size_t firstLineUsed) {
  if (printableAscii(text)) return std::string(text);
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t budget = bytesPerWord(out.empty() ? firstLineUsed : 1);  // folded lines start with a space
    std::size_t end = i;
    while (end < text.size()) {  // whole characters only
      const std::size_t next = end + utf8Length(static_cast<unsigned char>(text[end]));
      if (next - i > budget) break;
      end = next;
    }
    if (end == i) end = std::min(text.size(), i + utf8Length(static_cast<unsigned char>(text[i])));
    if (!out.empty()) out += "\r\n ";  // folded: the space between encoded words is not displayed
    out += "=?UTF-8?B?" + base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string rfc5322Date(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof(buffer), "%a, %d %b %Y %H:%M:%S +0000", &utc);  // C locale names
  return buffer;
}

bool isValidAddress(std::string_view address) {
  if (address.size() > 254) return false;
  auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  auto domain = address.substr(at + 1);
  if (domain.size() < 3 || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : address) {
    const bool allowed = (c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '(' && c != ')' && c != ',' &&
                          c != ';' && c != ':' && c != '\\' && c != '"' && c != '[' && c != ']') ||
                         static_cast<unsigned char>(c) >= 0x80;  // internationalized addresses (RFC 6531)
    if (!allowed) return false;
  }
  return true;
}

std::string compose(const Message& m) {
  std::string out;
  out += "Date: " + rfc5322Date(m.dateMs) + "\r\n";
  constexpr std::string_view kFrom = "From: ", kSubject = "Subject: ";
  out.append(kFrom);
  out += (m.fromName.empty() ? m.from : phrase(m.fromName, kFrom.size()) + "\r\n <" + m.from + ">") + "\r\n";
  out += "To: ";
  for (std::size_t i = 0; i < m.to.size(); ++i) out += (i == 0 ? "" : ",\r\n ") + m.to[i];
  out += "\r\n";
  out.append(kSubject).append(encodeHeaderWords(m.subject, kSubject.size())).append("\r\n");
  out += "Message-ID: <" + m.messageId + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  const bool both = !m.text.empty() && !m.html.empty();
  if (!both) return out + part(m.html.empty() ? "text/plain" : "text/html", m.html.empty() ? m.text : m.html);
  out += "Content-Type: multipart/alternative; boundary=\"" + m.boundary + "\"\r\n\r\n";
  out += "--" + m.boundary + "\r\n" + part("text/plain", m.text);
  out += "--" + m.boundary + "\r\n" + part("text/html", m.html);
  out += "--" + m.boundary + "--\r\n";
  return out;
}

}  // namespace wsd::mail
