// A run's connections: opened at a given rate from spread-out 127.x source addresses,
// each ready once wsd said `connected` (and, for a named uid, `bind_success`). After
// that, every server message goes to `onMessage` with the connection's index.
//
// Lifetime: members are never destroyed before the fleet, so handlers the event loop
// holds stay valid for the whole run.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connection.h"
#include "http_call.h"

namespace wsbench {

struct ServerAddress {
  sockaddr_in address{};
  std::string host;  // "127.0.0.1:8080"
};

class Fleet {
 public:
  Fleet(EventLoop& loop, ServerAddress server, std::string project, std::string token, int perSourceAddress)
      : loop_(loop),
        server_(std::move(server)),
        project_(std::move(project)),
        token_(std::move(token)),
        perSourceAddress_(perSourceAddress) {}

  std::function<void(std::size_t index, std::string_view json)> onMessage;

  // Opens `count` connections over `transport`, named uid `prefix`N (no bind when the
  // prefix is empty), `perSecond` at most, and waits until each is ready or failed, or
  // `deadlineNs`. Returns the index of the first; failures are counted in errors().
  std::size_t open(int count, Transport transport, const std::string& prefix, double perSecond,
                   std::int64_t deadlineNs);
  Connection& at(std::size_t index) { return members_[index]->connection; }
  const std::string& uidOf(std::size_t index) const { return members_[index]->uid; }
  std::size_t size() const { return members_.size(); }
  std::size_t errors() const { return errors_; }
  const std::string& firstError() const { return firstError_; }

 private:
  struct Member {
    Member(EventLoop& loop, Transport t) : connection(loop, t), transport(t) {}
    Connection connection;
    Transport transport;
    std::string uid;
    std::string connId;
    std::string secret;  // SSE: proves the bind POST is this member's (Wsd-Session-Secret)
    bool ready = false;
    bool failed = false;
  };
  bool startOne(Transport transport, const std::string& uid);
  void onSetupMessage(std::size_t index, std::string_view json);
  void fail(Member& member, const std::string& why);
  void bind(Member& member);

  EventLoop& loop_;
  ServerAddress server_;
  std::string project_, token_;
  int perSourceAddress_;
  std::vector<std::unique_ptr<Member>> members_;
  std::size_t settled_ = 0;  // ready or failed
  std::size_t errors_ = 0;
  std::string firstError_;
};

// "type":"<type>" appears in the message.
bool hasType(std::string_view json, std::string_view type);
// The integer after "<key>": in the message, or -1.
std::int64_t integerField(std::string_view json, std::string_view key);

}  // namespace wsbench
