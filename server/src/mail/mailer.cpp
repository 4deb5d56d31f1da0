#include "mail/mailer.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>

#include "core/error_codes.h"
#include "core/json.h"
#include "core/mail_events.h"
#include "logging/logger.h"

namespace wsd::mail {
namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string requestOf(const Event& e) { return json::string(e.data, "request").value_or(""); }

}  // namespace

Mailer::Mailer(std::string node, std::unique_ptr<Relay> relay, Append append)
    : node_(std::move(node)), relay_(std::move(relay)), append_(std::move(append)) {}

Mailer::~Mailer() { stop(); }

// ---- following the log ----------------------------------------------------------------------

void Mailer::observe(const Event& event, const Effects& effects) {
  switch (event.type) {
    case EventType::kMailRequest:
      if (effects.mail) onRequest(event, *effects.mail);
      break;
    case EventType::kMailAccepted:
    case EventType::kMailRejected:
      if (auto it = unfinished_.find(requestOf(event)); it != unfinished_.end()) {
        it->second.recorded = true;
        if (event.type == EventType::kMailRejected) unfinished_.erase(it);
      }
      break;
    case EventType::kMailSent:
    case EventType::kMailFailed: unfinished_.erase(requestOf(event)); break;
    default: break;
  }
}

void Mailer::onRequest(const Event& event, const MailDecision& decision) {
  auto mail = readFrom(event);
  if (!mail.ok()) {
    logging::warn("mailer: skipping " + event.id + ": " + mail.error().message, {{"event", event.id}});
    return;
  }
  Unfinished decided{{event.id, event.project, std::move(mail.value())},
                     decision.accepted,
                     false,
                     json::string(event.data, "token").value_or(""),
                     decision};
  if (!live_) {
    unfinished_.emplace(event.id, std::move(decided));
    return;
  }
  record(decided);
  if (decided.accepted) enqueue(std::move(decided.job));
}

void Mailer::record(const Unfinished& decided) {
  append_(stamped([&](const DecideContext& ctx) {
    return mailDecisionEvent(decided.job.project, decided.job.requestId, decided.token, decided.decision, ctx);
  }));
}

void Mailer::start() {
  live_ = true;
  for (auto& [id, decided] : unfinished_) {
    if (!decided.recorded) record(decided);
    if (decided.accepted) enqueue(std::move(decided.job));
  }
  if (!unfinished_.empty())
    logging::info("mailer: " + std::to_string(unfinished_.size()) + " mail(s) left undone, resumed");
  unfinished_.clear();
  worker_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "wsd-mailer");  // as docs/architecture.md lists it
    run();
  });
}

void Mailer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

// ---- sending (the mailer's thread) ----------------------------------------------------------

void Mailer::enqueue(Job job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void Mailer::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    if (relay_ == nullptr) {
      finish(job, makeError(error_codes::kMailNotConfigured.name,
                            "no mail relay is configured (--smtp-url or --mail-http-url)"));
      continue;
    }
    finish(job, relay_->send(job.mail, job.requestId));
  }
}

void Mailer::finish(const Job& job, const Result<Receipt>& result) {
  if (!result.ok()) {
    logging::warn("mailer: " + job.requestId + " failed: " + result.error().message, {{"event", job.requestId}});
  }
  append_(stamped([&](const DecideContext& ctx) {
    if (!result.ok()) return mailFailedEvent(job.project, job.requestId, result.error(), ctx);
    return mailSentEvent(job.project, job.requestId, relay_->name(), result->messageId, ctx);
  }));
}

std::shared_ptr<Event> Mailer::stamped(const std::function<std::shared_ptr<Event>(const DecideContext&)>& make) {
  std::lock_guard lock(mutex_);  // ids_ is used from the log's thread and the mailer's
  DecideContext ctx;
  ctx.node = node_;
  ctx.nowMs = nowMs();
  ctx.ids = &ids_;
  return make(ctx);
}

}  // namespace wsd::mail
