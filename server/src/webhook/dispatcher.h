// The webhook dispatcher: follows the log, turns each applied event into the occurrences
// its project's webhooks chose (webhook/hook_events.h), hands them to the sender, and
// records each outcome in the log:
//
//   webhook.delivered {delivery, hook, event, type, url, attempts, status}
//   webhook.failed    {delivery, hook, event, type, url, attempts, status, error}
//
// Those records, like every event other than the occurrences above, cause no delivery.
//
// Where it runs: wherever the whole log is applied in order, like the mailer: in `wsd all`
// on the gateway's pipeline, and as `wsd hooks` on a log of its own (distributed mode).
// One dispatcher per log: two would each post every occurrence.
//
// Restarts (at least once): the log is replayed through observe() before start();
// deliveries with no webhook.delivered / webhook.failed yet are sent then, unless their
// webhook was removed meanwhile. A crash between an endpoint's 2xx and the record posts
// that delivery again; the X-Wsd-Delivery header lets the receiver drop the repeat.
//
// Threads: observe() and start() on the thread that applies the log, which also owns
// `store` (the webhooks are read there, at the event's place in the log); posting happens
// on the sender's thread, which appends through `append` (callable from any thread).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/effects.h"
#include "core/event.h"
#include "core/ids.h"
#include "store/webhook_store.h"
#include "webhook/sender.h"

namespace wsd::webhook {

class Dispatcher {
 public:
  using Append = std::function<void(std::shared_ptr<Event>)>;

  Dispatcher(std::string node, const store::WebhookStore& webhooks, RetryPolicy policy, Append append);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Every applied event, in log order, with what applying it changed.
  void observe(const Event& event, const Effects& effects);
  // The replayed log is behind us: send what was left undelivered; from now on observe()
  // sends as events come. Returns how many deliveries were resumed.
  std::size_t start();
  // Abandons what is pending (a restart sends it again) and joins the sender.
  void stop();

 private:
  void record(const Delivery& delivery, const Outcome& outcome);  // the sender's thread

  std::string node_;
  const store::WebhookStore& webhooks_;
  Append append_;
  bool live_ = false;
  std::map<std::string, Delivery> unfinished_;  // replay only: by delivery id
  IdGenerator ids_;                             // the sender's thread only
  Sender sender_;
};

}  // namespace wsd::webhook
