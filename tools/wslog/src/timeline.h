// wslog timeline: the ordered story of one call (a room) or one user, for debugging a
// failed call or a lost message. Pure: selection and rendering; the caller replays the
// log through the projector and hands each selected event's effects in, so every line
// says what the server did with it (delivered to whom, which error, who went offline).
//
// A room's story: every room.* and signal.* event naming the room, and the life of each
// connection that was ever in it (conn.open, uid.bind, conn.close, and a node.start /
// node.down that ended it). A uid's story: what `--uid` selects in wslog export.
// Both need a first pass over the log (learn()) to find the connections.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/effects.h"
#include "event_filter.h"
#include "record.h"

namespace wsd::wslog {

struct TimelineSpec {
  std::string project;
  std::optional<std::string> room;  // exactly one of room and uid
  std::optional<std::string> uid;
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
};

class TimelineSelector {
 public:
  explicit TimelineSelector(TimelineSpec spec);
  void learn(const Event& e);
  // Call for every event in log order.
  bool matches(const Event& e);

 private:
  bool roomMatches(const Event& e);
  bool namesRoom(const Event& e) const;

  TimelineSpec spec_;
  EventFilter uidFilter_;
  std::set<std::string> roomConns_;               // learnt: connections ever in the room
  std::map<std::string, std::string> liveNodes_;  // open ones of those: conn -> node
};

// Renders selected events; follow() must see every event of the project, so it knows
// which uid each connection is bound to.
class TimelineRenderer {
 public:
  explicit TimelineRenderer(bool partitioned) : partitioned_(partitioned) {}
  void follow(const Event& e);
  std::string line(const LogRecord& record, const Effects& effects) const;

 private:
  bool partitioned_;
  std::map<std::string, std::string> uids_;  // conn -> uid
};

// What the event says ("offer to bob in r1, sdp 312 bytes").
std::string describe(const Event& e);
// What applying it did ("delivered to 1 connection", "error not_in_room", "bob offline").
std::string outcome(const Event& e, const Effects& effects);

}  // namespace wsd::wslog
