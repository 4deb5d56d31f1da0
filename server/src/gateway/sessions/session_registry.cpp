#include "gateway/sessions/session_registry.h"

#include <vector>

namespace wsd {

const char* transportName(Transport transport) {
  switch (transport) {
    case Transport::kWebSocket: return "ws";
    case Transport::kSse: return "sse";
    case Transport::kPoll: return "poll";
  }
  return "ws";
}

Session* SessionRegistry::add(std::unique_ptr<Session> session) {
  Session* raw = session.get();
  raw->countSentInto(sentCounter_);
  raw->holdOutputIn(&output_);
  raw->tickIn(&ticking_);
  if (raw->needsTicks()) ticking_.insert(*raw);
  const auto transport = static_cast<std::size_t>(raw->identity().transport);
  ++live_[transport];
  ++opened_[transport];
  byProject_[raw->project()].add(*raw);
  byConn_[raw->conn()] = std::move(session);
  return raw;
}

Session* SessionRegistry::find(std::string_view conn) const {
  auto it = byConn_.find(conn);
  return it == byConn_.end() ? nullptr : it->second.get();
}

void SessionRegistry::remove(const std::string& connRef) {
  // NOLINTNEXTLINE(performance-unnecessary-copy-initialization): connRef may live inside the session we destroy
  const std::string conn = connRef;
  auto it = byConn_.find(conn);
  if (it == byConn_.end()) return;
  auto project = byProject_.find(it->second->project());
  if (project != byProject_.end()) {
    project->second.remove(*it->second);
    if (project->second.empty()) byProject_.erase(project);
  }
  ticking_.erase(*it->second);
  it->second->tickIn(nullptr);  // ended: whatever it still holds, the tick has no business with it
  --live_[static_cast<std::size_t>(it->second->identity().transport)];
  it->second->ended = true;
  graveyard_.push_back(std::move(it->second));
  byConn_.erase(it);
}

const std::string* SessionRegistry::leavingProject(std::string_view conn) const {
  if (leaving_.empty()) return nullptr;  // the common case, without building a key
  auto it = leaving_.find(conn);
  return it == leaving_.end() ? nullptr : &it->second;
}

void SessionRegistry::forEach(const std::function<void(Session&)>& visit) const {
  // Collect first: `visit` may end sessions.
  std::vector<Session*> all;
  all.reserve(byConn_.size());
  for (const auto& [conn, session] : byConn_) all.push_back(session.get());
  for (Session* s : all) {
    if (!s->ended) visit(*s);
  }
}

void SessionRegistry::refilter(Session& session, FilterMask unsubscribed) {
  auto it = byProject_.find(session.project());
  if (it != byProject_.end()) it->second.refilter(session, unsubscribed);
}

std::size_t SessionRegistry::countInProject(std::string_view project) const {
  auto it = byProject_.find(project);
  return it == byProject_.end() ? 0 : it->second.size();
}

}  // namespace wsd
