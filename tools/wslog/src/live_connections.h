// Which connections are open at a point of the log, from conn.open / conn.close and the
// node events that end a gateway's sessions (node.start, node.down). The same rules as
// the projector's sessions, without the rest of its state: stats counts peaks with it.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "core/event.h"

namespace wsd::wslog {

class LiveConnections {
 public:
  // Follows `e`; returns true when the number of open connections changed.
  bool apply(const Event& e);

  std::size_t total() const { return conns_.size(); }
  std::size_t inProject(const std::string& project) const;

 private:
  struct Holder {
    std::string project;
    std::string node;
  };
  void endNodeSessions(const std::string& project, const std::string& node);

  std::map<std::string, Holder> conns_;            // conn -> where it lives
  std::map<std::string, std::size_t> perProject_;  // project -> open connections
};

}  // namespace wsd::wslog
