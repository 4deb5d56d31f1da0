// A command-line chat client on wsclient: bind as a uid, then type lines.
//
//   wsclient_chat URL PROJECT TOKEN UID [ws|sse|poll]
//
//   /to UID TEXT    a direct message        /list          who is online
//   /online UID     is UID online           /join ROOM     join a room
//   /leave ROOM     leave it                /quit          leave
//   /say ROOM TEXT  a message to a room     /history ROOM  its last 20 messages
//   anything else   a broadcast
//
// Room messages missed while the link was down are shown after each reconnect.
//
// Everything received is printed, one line per message. Handlers run on the client's I/O
// thread while main() reads stdin, hence the lock around the output. Typing starts once
// the first connection is up; when the server refuses it for good (a wrong or expired
// token, an unknown project) the chat prints the server's code and message and exits 1.
#include <wsclient/wsclient.h>

#include <condition_variable>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

namespace {

std::mutex outputLock;

// How the first connection attempt ended, told by the I/O thread to main().
struct FirstOutcome {
  std::mutex lock;
  std::condition_variable settled;
  std::optional<bool> connected;

  void settle(bool up) {
    std::lock_guard guard(lock);
    if (!connected) connected = up;
    settled.notify_all();
  }
  bool wait() {
    std::unique_lock guard(lock);
    settled.wait(guard, [this] { return connected.has_value(); });
    return *connected;
  }
};

void say(const std::string& line) {
  std::lock_guard lock(outputLock);
  std::cout << line << std::endl;
}

std::string shown(const std::optional<std::string>& text, const std::string& json) { return text ? *text : json; }

// A refused connection names the server's code and message; otherwise the close code and
// reason say what ended the link (1008 token_expired when a token expires while connected).
std::string describe(const wsclient::Disconnected& e) {
  std::string line = "* disconnected (" + std::to_string(e.code) + " " + e.reason + ")";
  if (!e.errorText.empty()) {
    line += ": refused by the server: " + e.errorText + " (HTTP " + std::to_string(e.httpStatus) + "): " + e.message;
  }
  if (e.willReconnect) line += ", retrying in " + std::to_string(e.retryIn.count()) + " ms";
  return line;
}

wsclient::Handlers chatHandlers(FirstOutcome& first) {
  wsclient::Handlers h;
  h.onConnected = [&first](const wsclient::Connected& e) {
    say(std::string("* connected over ") + wsclient::toString(e.transport) + (e.reconnected ? " (again)" : ""));
    first.settle(true);
  };
  h.onDisconnected = [&first](const wsclient::Disconnected& e) {
    say(describe(e));
    if (!e.willReconnect) first.settle(false);
  };
  h.onDirect = [](const wsclient::Direct& e) {
    say("[" + e.from + " -> you" + (e.offline ? ", while you were away" : "") + "] " + shown(e.text, e.msg));
  };
  h.onBroadcast = [](const wsclient::Broadcast& e) { say("[" + e.from + "] " + shown(e.text, e.msg)); };
  h.onPresence = [](const wsclient::Presence& e) { say("* " + e.uid + (e.online ? " is online" : " left")); };
  h.onRoom = [](const wsclient::RoomEvent& e) { say("* room " + e.roomId + ": " + e.raw); };
  h.onRoomMessage = [](const wsclient::RoomMessage& e) {
    say("[" + e.roomId + " #" + std::to_string(e.offset) + " " + e.from + "] " + shown(e.text, e.msg));
  };
  h.onRoomRecoveryFailed = [](const wsclient::RoomRecoveryFailure& e) {
    say("* room " + e.roomId + ": some missed messages are gone (" + wsclient::toString(e.reason) + "); /history " +
        e.roomId + " shows what is kept");
  };
  h.onError = [](const wsclient::ServerError& e) { say("! " + e.codeText + ": " + e.msg); };
  return h;
}

void printHistory(const wsclient::Result<wsclient::RoomHistoryPage>& result) {
  if (!result.ok()) return say("! history: " + result.status().message);
  for (const auto& m : result.value().messages) {
    say("  #" + std::to_string(m.offset) + " " + m.from + ": " + shown(m.text, m.msg));
  }
}

void printList(const wsclient::Result<wsclient::ListResult>& result) {
  if (!result.ok()) return say("! list: " + result.status().message);
  std::string line = "* online:";
  for (const auto& uid : result.value().uids) line += " " + uid;
  say(line);
}

// One typed line; false on /quit.
bool handleLine(wsclient::Client& client, const std::string& line) {
  std::istringstream words(line);
  std::string command, arg;
  words >> command >> arg;
  std::string rest;
  std::getline(words >> std::ws, rest);
  wsclient::SendStatus status = wsclient::SendStatus::kAccepted;
  if (command == "/quit") return false;
  if (command == "/to") {
    status = client.send(arg, wsclient::jsonString(rest));
  } else if (command == "/list") {
    client.list(printList);
  } else if (command == "/online") {
    client.online(arg, [](const wsclient::Result<wsclient::OnlineResult>& r) {
      say(r.ok() ? "* " + r.value().uid + (r.value().online ? " is online" : " is offline")
                 : "! " + r.status().message);
    });
  } else if (command == "/join") {
    status = client.joinRoom(arg);
  } else if (command == "/say") {
    client.sendToRoom(arg, wsclient::jsonString(rest), false, [](const wsclient::Result<wsclient::RoomSendResult>& r) {
      if (!r.ok()) say("! not sent: " + r.status().message);
    });
  } else if (command == "/history") {
    client.roomHistory(arg, wsclient::RoomHistoryOptions{std::nullopt, std::nullopt, 20}, printHistory);
  } else if (command == "/leave") {
    status = client.leaveRoom(arg);
  } else if (!line.empty()) {
    status = client.broadcast(wsclient::jsonString(line));
  }
  if (status != wsclient::SendStatus::kAccepted) say(std::string("! not sent: ") + wsclient::toString(status));
  return true;
}

wsclient::TransportKind transportNamed(const std::string& name) {
  if (name == "sse") return wsclient::TransportKind::kSse;
  if (name == "poll") return wsclient::TransportKind::kPoll;
  return wsclient::TransportKind::kWebSocket;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: " << argv[0] << " URL PROJECT TOKEN UID [ws|sse|poll]\n";
    return 2;
  }
  wsclient::Options options;
  options.url = argv[1];
  options.project = argv[2];
  options.token = argv[3];
  if (argc > 5) options.transports = {transportNamed(argv[5])};
  FirstOutcome first;
  wsclient::Client client(options, chatHandlers(first));
  if (auto status = client.connect(); !status.ok()) {
    std::cerr << "cannot connect: " << status.message << "\n";
    return 1;
  }
  client.bind(argv[4]);
  if (!first.wait()) return 1;  // describe() has said why
  for (std::string line; std::getline(std::cin, line) && handleLine(client, line);) {
  }
  client.close();
  client.waitClosed(std::chrono::seconds(5));
  return 0;
}
