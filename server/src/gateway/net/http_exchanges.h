// HTTP requests waiting for an answer that comes later (an admin change answers once its
// event is applied). The answer finds its request by id, so a client that hung up in
// the meantime is simply skipped, never written to after its connection was freed.
//
// Threads: gateway thread only.
#pragma once

#include <libwebsockets.h>

#include <cstdint>
#include <unordered_map>

namespace wsd {

class HttpExchanges {
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

 private:
  std::unordered_map<std::uint64_t, lws*> exchanges_;
  std::uint64_t lastId_ = 0;
};

}  // namespace wsd
