#include "app/backend_loop.h"

#include <event2/thread.h>

namespace wsd {

BackendLoop::BackendLoop() {
  evthread_use_pthreads();  // event_active() is then safe from the gateway thread
  base_ = event_base_new();
  keepalive_ = event_new(
      base_, -1, EV_PERSIST, [](evutil_socket_t, short, void*) {}, nullptr);
  timeval hour{3600, 0};
  event_add(keepalive_, &hour);
}

BackendLoop::~BackendLoop() {
  stop();
  event_free(keepalive_);
  event_base_free(base_);
}

void BackendLoop::start() {
  thread_ = std::thread([this] { event_base_dispatch(base_); });
}

void BackendLoop::stop() {
  if (!thread_.joinable()) return;
  event_base_loopbreak(base_);
  thread_.join();
}

}  // namespace wsd
