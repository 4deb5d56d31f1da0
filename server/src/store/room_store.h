// The room-membership projection: membership is per connection; a uid is a member while
// one of its connections is. One of the state store's projections (state_store.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wsd::store {

class RoomStore {
 public:
  virtual ~RoomStore() = default;

  virtual void joinRoom(std::string_view project, std::string_view room, std::string_view conn) = 0;
  virtual void leaveRoom(std::string_view project, std::string_view room, std::string_view conn) = 0;
  virtual std::vector<std::string> roomsOfConn(std::string_view conn) const = 0;
  virtual std::vector<std::string> roomConns(std::string_view project, std::string_view room) const = 0;
  virtual std::vector<std::string> roomMemberUids(std::string_view project, std::string_view room) const = 0;
};

}  // namespace wsd::store
