// HTTP/1.1 request framing (RFC 9112 §6): where a request's body ends, decided once from
// its headers, so that no byte of one request is read as part of another (the request
// smuggling that two parsers disagreeing on a body's length allows behind a proxy).
// Also the `Authorization: Bearer` credentials, whose scheme is case-insensitive
// (RFC 9110 §11.1). Pure functions and a decoder with no I/O. Threads: any.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wsd::http {

// How a request's body is delimited.
struct BodyFraming {
  enum class Kind { kNone, kLength, kChunked };
  Kind kind = Kind::kNone;
  std::uint64_t length = 0;  // for kLength
};

// The framing that `Content-Length` and `Transfer-Encoding` (each empty when absent;
// repeated headers joined with commas) give a request. Errors (code `bad_request`):
// both headers at once, Content-Length values that are not digits or disagree (repeats of
// one value are accepted), a transfer coding other than `chunked`.
Result<BodyFraming> requestFraming(std::string_view contentLength, std::string_view transferEncoding);

// Decodes a chunked body as it arrives (RFC 9112 §7.1): chunk sizes in hex with optional
// extensions, each chunk followed by CRLF, a last chunk of size 0, optional trailer
// fields (read and dropped), and a final CRLF.
class ChunkedDecoder {
 public:
  enum class Progress { kNeedMore, kComplete, kMalformed };

  // Appends what `input` decodes to to `body`. After kComplete or kMalformed, further
  // input is not read (a pipelined next request is the connection's business).
  Progress feed(std::string_view input, std::string& body);

 private:
  enum class State { kSize, kExtension, kSizeLf, kData, kDataCr, kDataLf, kTrailer, kTrailerLf, kDone, kBroken };
  Progress step(char c);

  State state_ = State::kSize;
  std::uint64_t remaining_ = 0;  // of the current chunk
  bool sawDigit_ = false;
  bool trailerLineEmpty_ = true;
};

// The credentials of `Authorization: Bearer <token>` with the scheme in any case and
// spaces after it; nothing when the header is absent or has another scheme.
std::optional<std::string_view> bearerCredentials(std::string_view authorization);

}  // namespace wsd::http
