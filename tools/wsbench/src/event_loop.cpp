#include "event_loop.h"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <ctime>

namespace wsbench {

std::int64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

EventLoop::EventLoop()
    : epoll_(epoll_create1(EPOLL_CLOEXEC)), timer_(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)) {
  if (!ok()) return;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // null marks the timer
  epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &ev);
}

EventLoop::~EventLoop() {
  if (timer_ >= 0) close(timer_);
  if (epoll_ >= 0) close(epoll_);
}

void EventLoop::add(int fd, std::uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
}

void EventLoop::modify(int fd, std::uint32_t events, Handler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
}

void EventLoop::remove(int fd) { epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr); }

void EventLoop::armTimer(std::int64_t periodNs) {
  itimerspec spec{};
  spec.it_interval.tv_sec = periodNs / 1'000'000'000;
  spec.it_interval.tv_nsec = periodNs % 1'000'000'000;
  spec.it_value = spec.it_interval;
  timerfd_settime(timer_, 0, &spec, nullptr);
}

bool EventLoop::run(std::int64_t deadlineNs, const std::function<bool()>& done, std::int64_t tickNs,
                    const std::function<void()>& onTick) {
  armTimer(tickNs);
  std::array<epoll_event, 256> events{};
  while (!done()) {
    if (monotonicNs() >= deadlineNs) return false;
    const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      auto* handler = static_cast<Handler*>(events[static_cast<std::size_t>(i)].data.ptr);
      if (handler == nullptr) {
        std::uint64_t expirations = 0;
        if (read(timer_, &expirations, sizeof expirations) > 0 && onTick) onTick();
        continue;
      }
      (*handler)(events[static_cast<std::size_t>(i)].events);
    }
  }
  return true;
}

}  // namespace wsbench
