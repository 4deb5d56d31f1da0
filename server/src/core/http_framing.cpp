#include "core/http_framing.h"

#include <cctype>
#include <charconv>

#include "core/error_codes.h"

namespace wsd::http {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::optional<std::uint64_t> decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;  // signs, spaces, overflow
  return value;
}

// Every comma-separated value of Content-Length must be the same number.
Result<std::uint64_t> contentLengthOf(std::string_view header) {
  std::optional<std::uint64_t> agreed;
  while (true) {
    const auto comma = header.find(',');
    auto value = decimal(trimmed(header.substr(0, comma)));
    if (!value) return makeError(error_codes::kBadRequest.name, "Content-Length must be a decimal number of bytes");
    if (agreed && *agreed != *value)
      return makeError(error_codes::kBadRequest.name, "conflicting Content-Length headers");
    agreed = value;
    if (comma == std::string_view::npos) return *agreed;
    header.remove_prefix(comma + 1);
  }
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const int lower = std::tolower(static_cast<unsigned char>(c));
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

}  // namespace

Result<BodyFraming> requestFraming(std::string_view contentLength, std::string_view transferEncoding) {
  if (!transferEncoding.empty() && !contentLength.empty()) {
    return makeError(error_codes::kBadRequest.name, "Transfer-Encoding and Content-Length must not be sent together");
  }
  if (!transferEncoding.empty()) {
    if (!equalsIgnoringCase(trimmed(transferEncoding), "chunked")) {
      return makeError(error_codes::kBadRequest.name, "the only Transfer-Encoding accepted is 'chunked'");
    }
    return BodyFraming{BodyFraming::Kind::kChunked, 0};
  }
  if (contentLength.empty()) return BodyFraming{};
  auto length = contentLengthOf(contentLength);
  if (!length.ok()) return length.error();
  return BodyFraming{BodyFraming::Kind::kLength, *length};
}

ChunkedDecoder::Progress ChunkedDecoder::feed(std::string_view input, std::string& body) {
  if (state_ == State::kDone) return Progress::kComplete;
  if (state_ == State::kBroken) return Progress::kMalformed;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (state_ == State::kData) {  // the payload is copied in runs, not byte by byte
      const auto run = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
      body.append(input.substr(i, run));
      remaining_ -= run;
      i += run - 1;
      if (remaining_ == 0) state_ = State::kDataCr;
      continue;
    }
    if (auto progress = step(input[i]); progress != Progress::kNeedMore) return progress;
  }
  return Progress::kNeedMore;
}

ChunkedDecoder::Progress ChunkedDecoder::step(char c) {
  constexpr std::uint64_t kMaxChunk = std::uint64_t{1} << 40;  // bounds the size digits, not the body
  switch (state_) {
    case State::kSize:
      if (const int digit = hexDigit(c); digit >= 0) {
        remaining_ = remaining_ * 16 + static_cast<std::uint64_t>(digit);
        sawDigit_ = true;
        if (remaining_ > kMaxChunk) state_ = State::kBroken;
      } else if (sawDigit_ && (c == ';' || c == ' ' || c == '\t')) {
        state_ = State::kExtension;
      } else if (sawDigit_ && c == '\r') {
        state_ = State::kSizeLf;
      } else {
        state_ = State::kBroken;
      }
      break;
    case State::kExtension:
      if (c == '\r') state_ = State::kSizeLf;
      break;
    case State::kSizeLf:
      if (c != '\n') {
        state_ = State::kBroken;
      } else {
        sawDigit_ = false;
        state_ = remaining_ == 0 ? State::kTrailer : State::kData;
      }
      break;
    case State::kDataCr: state_ = c == '\r' ? State::kDataLf : State::kBroken; break;
    case State::kDataLf: state_ = c == '\n' ? State::kSize : State::kBroken; break;
    case State::kTrailer:
      if (c == '\r') {
        state_ = State::kTrailerLf;
      } else {
        trailerLineEmpty_ = false;
      }
      break;
    case State::kTrailerLf:
      if (c != '\n') {
        state_ = State::kBroken;
      } else if (trailerLineEmpty_) {
        state_ = State::kDone;
      } else {
        trailerLineEmpty_ = true;
        state_ = State::kTrailer;
      }
      break;
    case State::kData:
    case State::kDone:
    case State::kBroken: break;
  }
  if (state_ == State::kDone) return Progress::kComplete;
  if (state_ == State::kBroken) return Progress::kMalformed;
  return Progress::kNeedMore;
}

std::optional<std::string_view> bearerCredentials(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() || !equalsIgnoringCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return std::nullopt;
  }
  std::string_view rest = authorization.substr(kScheme.size());
  if (rest.front() != ' ') return std::nullopt;  // "Bearerx ..." is another scheme
  rest = trimmed(rest);
  if (rest.empty()) return std::nullopt;
  return rest;
}

}  // namespace wsd::http
