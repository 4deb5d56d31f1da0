// The backend thread ("wsd-backend") of the roles that serve no clients (`wsd project`,
// `wsd mail`, `wsd hooks`): a libevent loop that owns their backend I/O (the log, Kafka,
// Redis) while the main thread waits for a stop signal. The serving roles (`wsd all`,
// `wsd serve`) have no such thread: their one loop runs on the main thread (node.cpp).
#pragma once

#include <event2/event.h>

#include <thread>

namespace wsd {

class BackendLoop {
 public:
  BackendLoop();
  ~BackendLoop();
  BackendLoop(const BackendLoop&) = delete;
  BackendLoop& operator=(const BackendLoop&) = delete;

  event_base* base() { return base_; }
  void start();  // runs the loop on its own thread
  void stop();   // breaks the loop and joins the thread

 private:
  event_base* base_ = nullptr;
  event* keepalive_ = nullptr;  // keeps the loop running while nothing else is registered
  // Activated from the stopping thread; its callback breaks the loop from inside. (A bare
  // event_base_loopbreak() from outside is lost if it lands before the loop has started.)
  event* stop_ = nullptr;
  std::thread thread_;
};

}  // namespace wsd
