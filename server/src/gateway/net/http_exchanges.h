// HTTP requests waiting for an answer that comes later (an admin change answers once its
// event is applied). The answer finds its request by id, so a client that hung up in
// the meantime is simply skipped, never written to after its connection was freed.
// LwsExchange is one request on a libwebsockets connection, as routes see it.
//
// Threads: gateway thread only.
#pragma once

#include <libwebsockets.h>

#include <cstdint>
#include <unordered_map>

#include "gateway/net/connection_state.h"
#include "gateway/routes/http_exchange.h"

namespace wsd {

class HttpExchanges final : public LaterAnswers {
 public:
  std::uint64_t open(lws* wsi) {
    exchanges_[++lastId_] = wsi;
    return lastId_;
  }
  lws* find(std::uint64_t id) const {
    auto it = exchanges_.find(id);
    return it == exchanges_.end() ? nullptr : it->second;
  }
  void close(std::uint64_t id) { exchanges_.erase(id); }

  void answer(std::uint64_t exchange, HttpResponse response) override {
    if (lws* wsi = find(exchange)) respondLater(wsi, std::move(response));
  }

 private:
  std::unordered_map<std::uint64_t, lws*> exchanges_;
  std::uint64_t lastId_ = 0;
};

class LwsExchange final : public HttpExchange {
 public:
  LwsExchange(lws* wsi, HttpState& state, HttpExchanges& open) : wsi_(wsi), state_(state), open_(open) {}

  const HttpRequest& request() const override { return state_.request; }
  int answer(const HttpResponse& response) override { return writeResponse(wsi_, response); }
  std::uint64_t id() const override { return state_.id; }
  LaterAnswers& later() override { return open_; }
  lws* connection() override { return wsi_; }
  HttpState& state() override { return state_; }

 private:
  lws* wsi_;
  HttpState& state_;
  HttpExchanges& open_;
};

}  // namespace wsd
