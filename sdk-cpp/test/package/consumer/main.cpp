// A C++17 program built against the installed SDK: the five lines of docs/sdk-cpp.md, then
// a check that the client starts and closes (nothing listens on the discard port).
#include <wsclient/wsclient.h>

#include <cstdio>
#include <iostream>

int main() {
  wsclient::Handlers h;
  h.onDirect = [](const wsclient::Direct& m) { std::cout << m.from << ": " << m.msg << "\n"; };
  wsclient::Client client({"http://127.0.0.1:9", "demo", "TOKEN"}, h);
  if (!client.connect().ok()) return 1;
  if (client.bind("user_1") != wsclient::SendStatus::kAccepted) return 1;
  if (client.send("user_2", wsclient::jsonString("Hello")) != wsclient::SendStatus::kAccepted) return 1;
  client.close();
  if (!client.waitClosed(std::chrono::seconds(10))) return 1;
  std::printf("consumer: %s, %s\n", wsclient::toString(client.state()),
              wsclient::wireName(wsclient::ErrorCode::kNotBound));
  return 0;
}
