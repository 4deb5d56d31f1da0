// The sender: posts deliveries with libcurl's multi interface on a thread of its own,
// many at once, retrying a failed attempt (no answer, or a status other than 2xx) after
// the policy's backoff until one succeeds or the attempts are used up; then it reports
// the outcome. A slow or dead endpoint holds only its own transfers: nothing here runs
// on a thread that serves clients, and other deliveries proceed meanwhile.
//
// Order: deliveries start in the order they were handed over, but run concurrently (at
// most kMaxInFlight at a time, kMaxInFlightPerHook to one webhook, so that one slow
// endpoint cannot take every slot) and retries come later: receivers order by the
// payload's `id` and `ts`, not by arrival.
//
// Threads: send() from any thread; `done` runs on the sender's thread; start() and stop()
// from the thread that owns the sender.
#pragma once

#include <curl/curl.h>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "webhook/delivery.h"

namespace wsd::webhook {

class Sender {
 public:
  static constexpr std::size_t kMaxInFlight = 64;
  static constexpr std::size_t kMaxInFlightPerHook = 16;
  using Done = std::function<void(const Delivery&, const Outcome&)>;

  Sender(RetryPolicy policy, Done done);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void start();
  // Abandons what is in flight or waiting (the dispatcher resends it after a restart) and joins.
  void stop();
  void send(Delivery delivery);

 private:
  struct Job {
    Delivery delivery;
    Outcome outcome;
  };
  struct Transfer;

  void run();
  void takeIncoming(std::int64_t now);
  void startDue(std::int64_t now);
  void begin(Job job);
  void finished(CURL* easy, CURLcode code);
  long waitMs(std::int64_t now) const;
  static std::string hookOf(const Delivery& d);

  RetryPolicy policy_;
  Done done_;
  CURLM* multi_;
  std::thread worker_;

  std::mutex mutex_;  // guards incoming_, stopping_
  std::deque<Delivery> incoming_;
  bool stopping_ = false;

  // The sender's thread only:
  std::multimap<std::int64_t, Job> waiting_;  // by when the next attempt is due (steady ms)
  std::map<CURL*, Transfer*> inFlight_;
  std::map<std::string, std::size_t> inFlightByHook_;  // "project/hook id" -> transfers
};

}  // namespace wsd::webhook
