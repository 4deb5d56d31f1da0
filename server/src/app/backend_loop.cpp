#include "app/backend_loop.h"

#include <event2/thread.h>
#include <pthread.h>

namespace wsd {

BackendLoop::BackendLoop() {
  evthread_use_pthreads();  // event_active() is then safe from the gateway thread
  base_ = event_base_new();
  keepalive_ = event_new(
      base_, -1, EV_PERSIST, [](evutil_socket_t, short, void*) {}, nullptr);
  timeval hour{3600, 0};
  event_add(keepalive_, &hour);
  stop_ = event_new(
      base_, -1, 0, [](evutil_socket_t, short, void* base) { event_base_loopbreak(static_cast<event_base*>(base)); },
      base_);
}

BackendLoop::~BackendLoop() {
  stop();
  event_free(stop_);
  event_free(keepalive_);
  event_base_free(base_);
}

void BackendLoop::start() {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "wsd-backend");  // as docs/architecture.md lists it
    event_base_dispatch(base_);
  });
}

void BackendLoop::stop() {
  if (!thread_.joinable()) return;
  event_active(stop_, EV_READ, 0);
  thread_.join();
}

}  // namespace wsd
