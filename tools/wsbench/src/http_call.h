// Blocking HTTP/1.1 calls for a run's setup (creating its project and token, binding SSE
// receivers); never used while measuring.
#pragma once

#include <netinet/in.h>

#include <string>
#include <vector>

namespace wsbench {

struct HttpAnswer {
  int status = 0;  // 0: no answer (the error says why)
  std::string body;
  std::string error;
};

HttpAnswer httpCall(const sockaddr_in& server, const std::string& host, const std::string& method,
                    const std::string& path, const std::string& body, const std::string& bearer = {},
                    const std::vector<std::string>& headers = {});

// The value of "key":"..." in a flat JSON text (enough for wsd's answers), or "".
std::string jsonString(const std::string& json, const std::string& key);

}  // namespace wsbench
