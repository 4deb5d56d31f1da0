// wsbench's event loop: one epoll set for every connection and a timerfd that ticks at a
// fixed period, so open-loop senders can keep to their schedule with sub-millisecond
// precision. One thread; nothing here is thread-safe.
#pragma once

#include <cstdint>
#include <functional>

namespace wsbench {

std::int64_t monotonicNs();

class EventLoop {
 public:
  // Called with the epoll events of the fd it was registered for.
  using Handler = std::function<void(std::uint32_t events)>;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  bool ok() const { return epoll_ >= 0 && timer_ >= 0; }
  // `handler` must outlive the registration.
  void add(int fd, std::uint32_t events, Handler* handler);
  void modify(int fd, std::uint32_t events, Handler* handler);
  void remove(int fd);
  // Runs until `done()` is true or `deadlineNs` (monotonic) passes; `onTick` runs every
  // `tickNs`. Returns whether `done()` became true.
  bool run(std::int64_t deadlineNs, const std::function<bool()>& done, std::int64_t tickNs,
           const std::function<void()>& onTick);

 private:
  void armTimer(std::int64_t periodNs);
  int epoll_ = -1;
  int timer_ = -1;
};

}  // namespace wsbench
