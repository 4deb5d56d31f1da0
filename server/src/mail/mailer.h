// The mailer: follows the log, records each mail decision, hands accepted mail to the
// relay, and records what the relay said.
//
//   mail.request (applied: accepted or refused by the rate limit, see core/projector.h)
//     -> mail.accepted, then mail.sent | mail.failed
//     -> mail.rejected
//
// It runs wherever the whole log is applied in order: in `wsd all` on the gateway's
// pipeline, and as `wsd mail` on a log of its own. One mailer per log: two would each
// send every mail (docs/operations.md, "Mail").
//
// Restarts: the log is replayed through observe() before start(); what a previous run
// decided but did not record, or accepted but did not finish, is recorded and sent then.
// A crash between the relay's answer and the append of mail.sent sends that mail again
// on restart: delivery to the relay is at least once.
//
// Threads: observe() and start() on the thread that applies the log (one at a time);
// sending happens on the mailer's own thread, which appends through `append` (the
// event log's append, callable from any thread).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/decide.h"
#include "core/effects.h"
#include "core/event.h"
#include "core/ids.h"
#include "core/mail_request.h"
#include "mail/relay.h"

namespace wsd::mail {

class Mailer {
 public:
  using Append = std::function<void(std::shared_ptr<Event>)>;

  // `relay` null: no relay is configured, and every accepted mail fails with
  // `mail_not_configured`.
  Mailer(std::string node, std::unique_ptr<Relay> relay, Append append);
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  // Every applied event, in log order, with what applying it decided.
  void observe(const Event& event, const Effects& effects);
  // The replayed log is behind us: record and send what was left undone; from now on
  // observe() acts on decisions as they come.
  void start();
  // Finishes the mail being sent, drops the queue (a restart sends it) and joins.
  void stop();

 private:
  struct Job {
    std::string requestId;
    std::string project;
    MailRequest mail;
  };
  // A decision found during replay that has no mail.sent / mail.failed yet.
  struct Unfinished {
    Job job;
    bool accepted = false;
    bool recorded = false;  // its mail.accepted / mail.rejected is in the log
    std::string token;
    MailDecision decision;
  };

  void onRequest(const Event& event, const MailDecision& decision);
  void record(const Unfinished& decided);
  void enqueue(Job job);
  void run();
  void finish(const Job& job, const Result<Receipt>& result);
  // The event `make` lays out, stamped with this mailer's node, the time and a fresh id.
  std::shared_ptr<Event> stamped(const std::function<std::shared_ptr<Event>(const DecideContext&)>& make);

  std::string node_;
  std::unique_ptr<Relay> relay_;
  Append append_;
  bool live_ = false;
  std::map<std::string, Unfinished> unfinished_;  // replay only: by request id

  std::mutex mutex_;  // guards queue_, stopping_, ids_
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  IdGenerator ids_;
  std::thread worker_;
};

}  // namespace wsd::mail
