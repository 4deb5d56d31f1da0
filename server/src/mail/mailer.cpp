#include "mail/mailer.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>

#include "core/error_codes.h"
#include "core/json.h"
#include "logging/logger.h"

namespace wsd::mail {
namespace {

std::int64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string requestOf(const Event& e) { return json::string(e.data, "request").value_or(""); }

void addString(Event& e, const char* name, const std::string& value) {
  e.data.AddMember(rapidjson::StringRef(name),
                   rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), e.alloc()),
                   e.alloc());
}

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
  auto e = event(decided.accepted ? EventType::kMailAccepted : EventType::kMailRejected, decided.job.project,
                 decided.job.requestId);
  addString(*e, "token", decided.token);
  e->data.AddMember("count", decided.decision.count, e->alloc());
  e->data.AddMember("max", decided.decision.max, e->alloc());
  append_(std::move(e));
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
  auto e = event(result.ok() ? EventType::kMailSent : EventType::kMailFailed, job.project, job.requestId);
  if (result.ok()) {
    addString(*e, "relay", relay_->name());
    addString(*e, "messageId", result->messageId);
  } else {
    logging::warn("mailer: " + job.requestId + " failed: " + result.error().message, {{"event", job.requestId}});
    addString(*e, "code", result.error().code);
    addString(*e, "error", result.error().message);
  }
  append_(std::move(e));
}

std::shared_ptr<Event> Mailer::event(EventType type, const std::string& project, const std::string& requestId) {
  auto e = std::make_shared<Event>();
  e->ts = nowMs();
  {
    std::lock_guard lock(mutex_);  // ids_ is used from the log's thread and the mailer's
    e->id = ids_.next(e->ts);
  }
  e->project = project;
  e->node = node_;
  e->type = type;
  addString(*e, "request", requestId);
  return e;
}

}  // namespace wsd::mail
