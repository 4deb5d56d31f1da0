// A mail as it goes to an SMTP relay: an RFC 5322 message with MIME (RFC 2045-2047).
// Pure: the caller supplies the date and the Message-ID, so the same request always
// composes the same bytes (and tests can check them).
//
// UTF-8 everywhere: a display name or subject that is not plain ASCII becomes RFC 2047
// encoded words (base64, each at most 75 characters, never splitting a character); bodies
// are base64 in lines of 76. With both text and html the body is multipart/alternative,
// text first (mail clients show the last part they can render).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wsd::mail {

struct Message {
  std::string from;      // address
  std::string fromName;  // display name, may be empty
  std::vector<std::string> to;
  std::string subject;
  std::string text;  // at least one of text and html
  std::string html;
  std::int64_t dateMs = 0;  // Date header
  std::string messageId;    // without angle brackets: "id@domain"
  std::string boundary;     // for multipart; must not occur in the bodies (base64 cannot hold '=_')
};

// The whole message, CRLF line ends, ready for SMTP DATA.
std::string compose(const Message& message);

// A plain address, as SMTP's MAIL FROM and RCPT TO want it: local@domain, no display
// name, no spaces or angle brackets, a dot in the domain. Deliberately strict: what it
// refuses, a relay would likely refuse later, with a worse error.
bool isValidAddress(std::string_view address);

// RFC 2047 encoded words for a header value (returned as is when it is printable ASCII),
// folded so that no line passes 78 characters; `firstLineUsed` is what precedes the value
// on its first line ("Subject: ").
std::string encodeHeaderWords(std::string_view text, std::size_t firstLineUsed = 0);

// "Sun, 22 Nov 2026 18:26:51 +0000"
std::string rfc5322Date(std::int64_t ms);

}  // namespace wsd::mail
