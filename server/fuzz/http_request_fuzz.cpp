// Fuzzes the pure half of reading an HTTP request (core/http_request.h): the path of a
// URI and the query arguments libwebsockets hands over one by one.
// Input: the URI on the first line, then one query argument per line.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/http_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view uri = input.substr(0, newline);
  wsd::HttpRequest request;
  request.path = std::string(wsd::pathOfUri(uri));
  if (request.path.find('?') != std::string::npos || uri.substr(0, request.path.size()) != request.path) std::abort();

  std::string_view rest = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  while (!rest.empty()) {
    auto end = rest.find('\n');
    std::string_view argument = rest.substr(0, end);
    auto [name, value] = wsd::splitQueryArgument(argument);
    if (name.find('=') != std::string::npos || name.size() + value.size() + 1 < argument.size()) std::abort();
    request.query.emplace_back(name, value);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  // The first argument of a name wins, whatever follows.
  for (const auto& [name, value] : request.query) {
    const std::string found = request.param(name);
    for (const auto& [earlierName, earlierValue] : request.query) {
      if (earlierName == name) {
        if (found != earlierValue) std::abort();
        break;
      }
    }
  }
  return 0;
}
