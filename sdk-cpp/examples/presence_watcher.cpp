// A presence watcher on wsclient: prints who is online now, then every uid that comes
// online or goes offline, until interrupted (or for SECONDS, when given).
//
//   wsclient_presence_watcher URL PROJECT TOKEN [SECONDS]
//
// It does not bind, so it never shows up in the list itself. After a reconnect it asks
// for the list again, since transitions may have happened while it was away. When the
// server refuses it (a wrong or expired token, an unknown project) it prints the server's
// code and message and exits 1.
#include <wsclient/wsclient.h>

#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>

namespace {

std::mutex lock;
std::condition_variable wake;
volatile std::sig_atomic_t interrupted = 0;
bool refused = false;  // guarded by `lock`

void printList(const wsclient::Result<wsclient::ListResult>& result) {
  if (!result.ok()) {
    std::cout << "list failed: " << result.status().message << std::endl;
    return;
  }
  std::cout << "online now (" << result.value().uids.size() << "):";
  for (const auto& uid : result.value().uids) std::cout << " " << uid;
  std::cout << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: " << argv[0] << " URL PROJECT TOKEN [SECONDS]\n";
    return 2;
  }
  wsclient::Options options;
  options.url = argv[1];
  options.project = argv[2];
  options.token = argv[3];
  const auto runFor = std::chrono::seconds(argc > 4 ? std::stoi(argv[4]) : 24 * 3600);

  wsclient::Client* self = nullptr;
  wsclient::Handlers handlers;
  handlers.onConnected = [&self](const wsclient::Connected&) { self->list(printList); };
  handlers.onPresence = [](const wsclient::Presence& e) {
    std::cout << e.timestamp << " " << e.uid << (e.online ? " online" : " offline") << std::endl;
  };
  handlers.onDisconnected = [](const wsclient::Disconnected& e) {
    std::cout << "disconnected: " << e.code << " " << e.reason;
    if (!e.errorText.empty()) {
      std::cout << ": refused by the server: " << e.errorText << " (HTTP " << e.httpStatus << "): " << e.message;
    }
    std::cout << (e.willReconnect ? " (reconnecting)" : "") << std::endl;
    if (e.willReconnect) return;
    std::lock_guard guard(lock);
    refused = !e.errorText.empty();
    wake.notify_all();
  };

  wsclient::Client client(options, handlers);
  self = &client;
  if (auto status = client.connect(); !status.ok()) {
    std::cerr << "cannot connect: " << status.message << "\n";
    return 1;
  }
  std::signal(SIGINT, [](int) { interrupted = 1; });
  std::unique_lock guard(lock);
  const auto until = std::chrono::steady_clock::now() + runFor;
  // Wakes each second to notice Ctrl-C (a signal handler may not notify a condition variable).
  while (!interrupted && client.state() != wsclient::State::kClosed && std::chrono::steady_clock::now() < until) {
    wake.wait_for(guard, std::chrono::seconds(1));
  }
  const bool wasRefused = refused;
  guard.unlock();
  client.close();
  client.waitClosed(std::chrono::seconds(5));
  return wasRefused ? 1 : 0;
}
