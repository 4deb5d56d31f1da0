#include "core/connection_events.h"

namespace wsd {
std::shared_ptr<Event> connOpenEvent(std::string project, std::string conn, const ConnectionOpening& opening,
                                     const DecideContext& ctx) {
  auto e = newEvent(EventType::kConnOpen, std::move(project), std::move(conn), ctx);
  addString(*e, "transport", opening.transport);
  addString(*e, "mode", opening.mode);
  addString(*e, "token", opening.token);
  return e;
}

std::shared_ptr<Event> connCloseEvent(std::string project, std::string conn, int code, const std::string& reason,
                                      const DecideContext& ctx) {
  auto e = newEvent(EventType::kConnClose, std::move(project), std::move(conn), ctx);
  e->data.AddMember("code", code, e->alloc());
  // Up to the first NUL, as conn.close has always been written (a client's close reason
  // may hold one).
  e->data.AddMember("reason", rapidjson::Value(reason.c_str(), e->alloc()), e->alloc());
  return e;
}

}  // namespace wsd
