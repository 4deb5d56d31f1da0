#include "dispatch.h"

namespace wsclient::detail {
namespace {

template <typename Event>
void call(const std::function<void(const Event&)>& handler, const Event& event) {
  if (handler) handler(event);
}

struct Dispatcher {
  const Handlers& h;
  void operator()(const std::monostate& /*unknown*/) const {}
  void operator()(const Connected& /*engine's*/) const {}
  void operator()(const ClosedNotice& /*engine's*/) const {}
  void operator()(const BindSuccess& e) const { call(h.onBindSuccess, e); }
  void operator()(const Direct& e) const { call(h.onDirect, e); }
  void operator()(const Broadcast& e) const { call(h.onBroadcast, e); }
  void operator()(const SendSuccess& e) const { call(h.onSendSuccess, e); }
  void operator()(const OnlineResult& e) const { call(h.onOnlineResult, e); }
  void operator()(const ListResult& e) const { call(h.onList, e); }
  void operator()(const Presence& e) const { call(h.onPresence, e); }
  void operator()(const Heartbeat& e) const { call(h.onHeartbeat, e); }
  void operator()(const ServerError& e) const { call(h.onError, e); }
  void operator()(const RoomEvent& e) const { call(h.onRoom, e); }
  void operator()(const Signal& e) const { call(h.onSignal, e); }
  void operator()(const FilterResult& e) const { call(h.onFilter, e); }
  void operator()(const AckResult& e) const { call(h.onAck, e); }
  void operator()(const RoomMessage& e) const { call(h.onRoomMessage, e); }
  void operator()(const RoomSendResult& /*a query's answer*/) const {}
  void operator()(const RoomHistoryPage& /*a query's answer*/) const {}
};

}  // namespace

void dispatch(const Handlers& handlers, const ServerEvent& event) { std::visit(Dispatcher{handlers}, event); }

}  // namespace wsclient::detail
