// The public Client: checks arguments, encodes messages and queues them for the I/O
// thread (engine.h), which it starts and joins. Every method may run on any thread.
#include "wsclient/client.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "client_messages.h"
#include "engine.h"
#include "options_check.h"

namespace wsclient {

using detail::Intent;
using detail::Origin;
using detail::Outgoing;
using detail::PendingQuery;

struct Client::Impl {
  Impl(Options o, Handlers h) : options(std::move(o)), handlers(std::move(h)), shared(options) {}

  SendStatus enqueue(std::optional<std::string> text, Intent intent = Intent::kNone, std::string_view subject = {}) {
    if (!text) return SendStatus::kInvalidArgument;
    if (text->size() > options.maxMessageBytes) return SendStatus::kTooBig;
    return shared.enqueue(Outgoing{std::move(*text), Origin::kApp, intent, std::string(subject), nullptr});
  }

  // Queues a query; when that fails at once, its callback runs now, on this thread.
  void ask(const std::shared_ptr<PendingQuery>& query) {
    query->deadline = detail::Clock::now() + options.requestTimeout;
    const Intent intent = query->kind == PendingQuery::Kind::kRoomJoin ? Intent::kJoinRoom : Intent::kNone;
    const SendStatus status = shared.enqueue(Outgoing{query->text, Origin::kApp, intent, query->roomId, query});
    switch (status) {
      case SendStatus::kAccepted: return;
      case SendStatus::kQueueFull: return query->fail(Status{ErrorCode::kQueueFull, "the outbound queue is full"});
      case SendStatus::kClosed: return query->fail(Status{ErrorCode::kClosed, "the client is closed"});
      default: return query->fail(Status{ErrorCode::kInvalidArgument, toString(status)});
    }
  }

  // A filter or ack query: `text` nullopt (a bad argument) fails it at once.
  template <typename R>
  std::future<Result<R>> futureOf(const std::function<void(std::function<void(const Result<R>&)>)>& start) {
    auto promise = std::make_shared<std::promise<Result<R>>>();
    auto future = promise->get_future();
    start([promise](const Result<R>& result) { promise->set_value(result); });
    return future;
  }

  // A room call: `text` nullopt (a bad argument) fails it at once.
  void askRoom(const std::shared_ptr<PendingQuery>& query, std::optional<std::string> text, const char* rule) {
    if (!text) return query->fail(Status{ErrorCode::kInvalidArgument, rule});
    if (text->size() > options.maxMessageBytes) {
      return query->fail(Status{ErrorCode::kInvalidArgument, "the message is larger than Options::maxMessageBytes"});
    }
    query->text = std::move(*text);
    ask(query);
  }

  void askJoin(std::string_view type, std::string_view roomId, const RoomPosition& since,
               std::function<void(const Result<RoomInfo>&)> done) {
    auto query = std::make_shared<PendingQuery>();
    query->kind = PendingQuery::Kind::kRoomJoin;
    query->roomId = std::string(roomId);
    query->since = since;
    query->onRoomJoin = std::move(done);
    askRoom(query, detail::encodeRoomJoin(type, roomId, since),
            "roomId: 1 to 128 characters; since: offset 0 to 2^53-1, epoch up to 128 bytes");
  }

  void askFilter(PendingQuery::Kind kind, std::optional<std::string> text,
                 std::function<void(const Result<FilterResult>&)> done) {
    auto query = std::make_shared<PendingQuery>();
    query->kind = kind;
    query->onFilter = std::move(done);
    if (!text) return query->fail(Status{ErrorCode::kInvalidArgument, "events: 1 to 16 known kinds of notices"});
    query->text = std::move(*text);
    ask(query);
  }

  const Options options;    // read-only after construction: the I/O thread reads it unlocked
  const Handlers handlers;  // likewise
  detail::SharedState shared;
  std::mutex startMutex;  // guards started, io
  bool started = false;
  std::thread io;
};

Client::Client(Options options, Handlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {}

Client::~Client() {
  close();
  std::thread io;
  {
    std::lock_guard lock(impl_->startMutex);
    io = std::move(impl_->io);
  }
  if (!io.joinable()) return;
  if (io.get_id() == std::this_thread::get_id()) {
    std::fputs("wsclient: a Client was destroyed inside its own handler; see client.h, Lifetime\n", stderr);
    std::abort();
  }
  io.join();
}

Status Client::connect() {
  if (Status status = detail::checkOptions(impl_->options); !status.ok()) return status;
  std::lock_guard lock(impl_->startMutex);
  if (impl_->started) return Status{ErrorCode::kAlreadyStarted, "connect() was called already"};
  if (impl_->shared.state() == State::kClosed) return Status{ErrorCode::kClosed, "the client is closed"};
  impl_->started = true;
  const detail::ServerUrl url = detail::parseServerUrl(impl_->options.url).value();
  Impl* impl = impl_.get();
  impl_->io = std::thread([impl, url] {
    detail::Engine engine(impl->options, impl->handlers, impl->shared, url);
    engine.run();
  });
  return Status{};
}

void Client::close() {
  std::lock_guard lock(impl_->startMutex);
  impl_->shared.requestClose();
  if (!impl_->started) impl_->shared.publishState(State::kClosed);  // no I/O thread to do it
}

bool Client::waitClosed(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(impl_->startMutex);
    if (!impl_->started) return true;
  }
  return impl_->shared.waitClosed(timeout);
}

SendStatus Client::bind(std::string_view uid) { return impl_->enqueue(detail::encodeBind(uid), Intent::kBind, uid); }

SendStatus Client::bind(std::string_view uid, const BindSignature& signature) {
  return impl_->enqueue(detail::encodeSignedBind(uid, signature.exp, signature.sig), Intent::kBind, uid);
}

SendStatus Client::send(std::string_view to, std::string_view msgJson) {
  return impl_->enqueue(detail::encodeSend(to, msgJson));
}

SendStatus Client::multicast(const std::vector<std::string>& to, std::string_view msgJson) {
  return impl_->enqueue(detail::encodeMulticast(to, msgJson));
}

SendStatus Client::broadcast(std::string_view msgJson) { return impl_->enqueue(detail::encodeBroadcast(msgJson)); }

void Client::list(std::function<void(const Result<ListResult>&)> done) {
  auto query = std::make_shared<PendingQuery>();
  query->kind = PendingQuery::Kind::kList;
  query->text = detail::encodeList();
  query->onList = std::move(done);
  impl_->ask(query);
}

std::future<Result<ListResult>> Client::list() {
  auto promise = std::make_shared<std::promise<Result<ListResult>>>();
  auto future = promise->get_future();
  list([promise](const Result<ListResult>& result) { promise->set_value(result); });
  return future;
}

void Client::online(std::string_view uid, std::function<void(const Result<OnlineResult>&)> done) {
  auto query = std::make_shared<PendingQuery>();
  query->kind = PendingQuery::Kind::kOnline;
  query->uid = std::string(uid);
  query->onOnline = std::move(done);
  auto text = detail::encodeOnline(uid);
  if (!text) return query->fail(Status{ErrorCode::kInvalidArgument, "uid: 1 to 128 characters"});
  query->text = std::move(*text);
  impl_->ask(query);
}

std::future<Result<OnlineResult>> Client::online(std::string_view uid) {
  auto promise = std::make_shared<std::promise<Result<OnlineResult>>>();
  auto future = promise->get_future();
  online(uid, [promise](const Result<OnlineResult>& result) { promise->set_value(result); });
  return future;
}

void Client::unsub(const std::vector<std::string>& events, std::function<void(const Result<FilterResult>&)> done) {
  impl_->askFilter(PendingQuery::Kind::kUnsub, detail::encodeFilter("unsub", events), std::move(done));
}

std::future<Result<FilterResult>> Client::unsub(const std::vector<std::string>& events) {
  return impl_->futureOf<FilterResult>([&](auto done) { unsub(events, std::move(done)); });
}

void Client::sub(const std::vector<std::string>& events, std::function<void(const Result<FilterResult>&)> done) {
  impl_->askFilter(PendingQuery::Kind::kSub, detail::encodeFilter("sub", events), std::move(done));
}

std::future<Result<FilterResult>> Client::sub(const std::vector<std::string>& events) {
  return impl_->futureOf<FilterResult>([&](auto done) { sub(events, std::move(done)); });
}

void Client::listUnsubscribed(std::function<void(const Result<FilterResult>&)> done) {
  impl_->askFilter(PendingQuery::Kind::kLsunsub, detail::encodeLsunsub(), std::move(done));
}

std::future<Result<FilterResult>> Client::listUnsubscribed() {
  return impl_->futureOf<FilterResult>([&](auto done) { listUnsubscribed(std::move(done)); });
}

void Client::ack(const std::vector<std::string>& ids, std::function<void(const Result<AckResult>&)> done) {
  auto query = std::make_shared<PendingQuery>();
  query->kind = PendingQuery::Kind::kAck;
  query->onAck = std::move(done);
  auto text = detail::encodeAck(ids);
  if (!text) return query->fail(Status{ErrorCode::kInvalidArgument, "ids: 1 to 1000, each 1 to 64 characters"});
  query->text = std::move(*text);
  impl_->ask(query);
}

std::future<Result<AckResult>> Client::ack(const std::vector<std::string>& ids) {
  return impl_->futureOf<AckResult>([&](auto done) { ack(ids, std::move(done)); });
}

SendStatus Client::createRoom(std::string_view roomId) {
  return impl_->enqueue(detail::encodeRoom("room_create", roomId), Intent::kJoinRoom, roomId);
}

SendStatus Client::joinRoom(std::string_view roomId) {
  return impl_->enqueue(detail::encodeRoom("room_join", roomId), Intent::kJoinRoom, roomId);
}

void Client::createRoom(std::string_view roomId, const RoomPosition& since,
                        std::function<void(const Result<RoomInfo>&)> done) {
  impl_->askJoin("room_create", roomId, since, std::move(done));
}

std::future<Result<RoomInfo>> Client::createRoom(std::string_view roomId, const RoomPosition& since) {
  return impl_->futureOf<RoomInfo>([&](auto done) { createRoom(roomId, since, std::move(done)); });
}

void Client::joinRoom(std::string_view roomId, const RoomPosition& since,
                      std::function<void(const Result<RoomInfo>&)> done) {
  impl_->askJoin("room_join", roomId, since, std::move(done));
}

std::future<Result<RoomInfo>> Client::joinRoom(std::string_view roomId, const RoomPosition& since) {
  return impl_->futureOf<RoomInfo>([&](auto done) { joinRoom(roomId, since, std::move(done)); });
}

void Client::sendToRoom(std::string_view roomId, std::string_view msgJson, bool echo,
                        std::function<void(const Result<RoomSendResult>&)> done) {
  auto query = std::make_shared<PendingQuery>();
  query->kind = PendingQuery::Kind::kRoomSend;
  query->roomId = std::string(roomId);
  query->echo = echo;
  query->onRoomSend = std::move(done);
  impl_->askRoom(query, detail::encodeRoomSend(roomId, msgJson, echo), "roomId: 1 to 128 characters; msg: JSON");
}

std::future<Result<RoomSendResult>> Client::sendToRoom(std::string_view roomId, std::string_view msgJson, bool echo) {
  return impl_->futureOf<RoomSendResult>([&](auto done) { sendToRoom(roomId, msgJson, echo, std::move(done)); });
}

void Client::roomHistory(std::string_view roomId, const RoomHistoryOptions& options,
                         std::function<void(const Result<RoomHistoryPage>&)> done) {
  auto query = std::make_shared<PendingQuery>();
  query->kind = PendingQuery::Kind::kRoomHistory;
  query->roomId = std::string(roomId);
  query->onRoomHistory = std::move(done);
  impl_->askRoom(query, detail::encodeRoomHistory(roomId, options),
                 "roomId: 1 to 128 characters; at most one of since and before (>= 1); limit 0 to 1000");
}

std::future<Result<RoomHistoryPage>> Client::roomHistory(std::string_view roomId, const RoomHistoryOptions& options) {
  return impl_->futureOf<RoomHistoryPage>([&](auto done) { roomHistory(roomId, options, std::move(done)); });
}

std::optional<RoomPosition> Client::roomPosition(std::string_view roomId) const {
  return impl_->shared.roomPosition(std::string(roomId));
}

SendStatus Client::leaveRoom(std::string_view roomId) {
  return impl_->enqueue(detail::encodeRoom("room_leave", roomId), Intent::kLeaveRoom, roomId);
}

SendStatus Client::sendOffer(std::string_view roomId, std::string_view to, std::string_view sdpJson) {
  return impl_->enqueue(detail::encodeSignal("webrtc_offer", roomId, to, sdpJson));
}

SendStatus Client::sendAnswer(std::string_view roomId, std::string_view to, std::string_view sdpJson) {
  return impl_->enqueue(detail::encodeSignal("webrtc_answer", roomId, to, sdpJson));
}

SendStatus Client::sendIce(std::string_view roomId, std::string_view to, std::string_view candidateJson) {
  return impl_->enqueue(detail::encodeSignal("webrtc_ice", roomId, to, candidateJson));
}

SendStatus Client::sendRaw(std::string_view json) { return impl_->enqueue(detail::encodeRaw(json)); }

State Client::state() const { return impl_->shared.state(); }
std::string Client::connId() const { return impl_->shared.connId(); }
TransportKind Client::transport() const { return impl_->shared.transport(); }
std::size_t Client::queued() const { return impl_->shared.queued(); }

std::string jsonString(std::string_view text) { return detail::quoteJson(text); }

}  // namespace wsclient
