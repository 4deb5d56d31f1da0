#include "webhook/sender.h"

#include <pthread.h>

#include <chrono>
#include <cstdio>

#include "logging/logger.h"
#include "webhook/signature.h"

namespace wsd::webhook {
namespace {

std::int64_t steadyMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::int64_t unixSeconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

// The endpoint's answer is not kept: its status is what counts.
std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

constexpr long kIdleWaitMs = 1000;  // a bound on each wait; send() and stop() wake it sooner

}  // namespace

// One attempt on the wire. Owns its easy handle and headers until finished().
struct Sender::Transfer {
  Job job;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
};

Sender::Sender(RetryPolicy policy, Done done) : policy_(policy), done_(std::move(done)), multi_(curl_multi_init()) {}

Sender::~Sender() {
  stop();
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

void Sender::start() {
  if (multi_ == nullptr) {
    logging::error("webhooks: libcurl could not start; nothing will be delivered");
    return;
  }
  worker_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "wsd-webhooks");  // as docs/architecture.md lists it
    run();
  });
}

void Sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  if (multi_ != nullptr) curl_multi_wakeup(multi_);
  if (worker_.joinable()) worker_.join();
}

void Sender::send(Delivery delivery) {
  {
    std::lock_guard lock(mutex_);
    incoming_.push_back(std::move(delivery));
  }
  if (multi_ != nullptr) curl_multi_wakeup(multi_);
}

// ---- the sender's thread --------------------------------------------------------------------

void Sender::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    const std::int64_t now = steadyMs();
    takeIncoming(now);
    startDue(now);
    int running = 0;
    curl_multi_perform(multi_, &running);
    int queued = 0;
    bool freedSlots = false;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      finished(message->easy_handle, message->data.result);
      freedSlots = true;
    }
    if (freedSlots) continue;  // start what waited for those slots before sleeping
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(waitMs(now)), nullptr);
  }
  for (auto& [easy, transfer] : inFlight_) {
    curl_multi_remove_handle(multi_, easy);
    delete transfer;
  }
  inFlight_.clear();
  inFlightByHook_.clear();
  waiting_.clear();
}

void Sender::takeIncoming(std::int64_t now) {
  std::deque<Delivery> incoming;
  {
    std::lock_guard lock(mutex_);
    incoming.swap(incoming_);
  }
  for (auto& delivery : incoming) waiting_.emplace(now, Job{std::move(delivery), {}});
}

std::string Sender::hookOf(const Delivery& d) { return d.project + "/" + d.hookId; }

// O(due deliveries) when webhooks are at their cap: those are skipped, not dropped, and
// the transfer whose end frees a slot wakes the loop again.
void Sender::startDue(std::int64_t now) {
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first <= now && inFlight_.size() < kMaxInFlight;) {
    if (inFlightByHook_[hookOf(it->second.delivery)] >= kMaxInFlightPerHook) {
      ++it;
      continue;
    }
    Job job = std::move(it->second);
    it = waiting_.erase(it);
    begin(std::move(job));
  }
}

// Signs with the time of this attempt, so a retry carries a fresh timestamp.
void Sender::begin(Job job) {
  auto* t = new Transfer{std::move(job)};
  const Delivery& d = t->job.delivery;
  const std::int64_t timestamp = unixSeconds();
  t->easy = curl_easy_init();
  if (t->easy == nullptr) {
    t->job.outcome.attempts = policy_.attempts;  // no retry can do better
    t->job.outcome.error = "libcurl could not start a transfer";
    done_(d, t->job.outcome);
    delete t;
    return;
  }
  for (const std::string& header :
       {std::string("Content-Type: application/json"), std::string("User-Agent: wsd-webhooks"),
        "X-Wsd-Event: " + d.type, "X-Wsd-Delivery: " + d.id, "X-Wsd-Timestamp: " + std::to_string(timestamp),
        "X-Wsd-Signature: " + signatureHeader(d.secret, timestamp, d.body)}) {
    t->headers = curl_slist_append(t->headers, header.c_str());
  }
  curl_easy_setopt(t->easy, CURLOPT_URL, d.url.c_str());
  curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, d.body.c_str());  // the job outlives the transfer
  curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(d.body.size()));
  curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, static_cast<long>(policy_.timeoutMs));
  curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(policy_.timeoutMs));
  curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is an answer, not a 2xx
  curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, &discard);
  curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
  curl_multi_add_handle(multi_, t->easy);
  inFlight_.emplace(t->easy, t);
  ++inFlightByHook_[hookOf(d)];
}

void Sender::finished(CURL* easy, CURLcode code) {
  auto it = inFlight_.find(easy);
  if (it == inFlight_.end()) return;
  Transfer* t = it->second;
  inFlight_.erase(it);
  curl_multi_remove_handle(multi_, easy);
  if (auto busy = inFlightByHook_.find(hookOf(t->job.delivery)); busy != inFlightByHook_.end() && --busy->second == 0)
    inFlightByHook_.erase(busy);
  Job job = std::move(t->job);
  Outcome& outcome = job.outcome;
  ++outcome.attempts;
  outcome.status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &outcome.status);
  outcome.delivered = code == CURLE_OK && outcome.status >= 200 && outcome.status < 300;
  if (outcome.delivered)
    outcome.error.clear();
  else if (code != CURLE_OK)
    outcome.error = t->error[0] != '\0' ? t->error : curl_easy_strerror(code);
  else
    outcome.error = "HTTP " + std::to_string(outcome.status);
  delete t;
  if (outcome.delivered || outcome.attempts >= policy_.attempts) {
    done_(job.delivery, outcome);
    return;
  }
  waiting_.emplace(steadyMs() + policy_.delayAfter(outcome.attempts), std::move(job));
}

// Until the next delivery falls due, bounded. Those already due (`now` is the time
// startDue() used) wait for a free slot: a transfer that ends wakes curl_multi_poll.
long Sender::waitMs(std::int64_t now) const {
  long wait = kIdleWaitMs;
  if (auto next = waiting_.upper_bound(now); next != waiting_.end() && next->first - now < wait) {
    wait = static_cast<long>(next->first - now);
  }
  if (!inFlight_.empty()) {
    long curlWait = -1;
    curl_multi_timeout(multi_, &curlWait);
    if (curlWait >= 0 && curlWait < wait) wait = curlWait;
  }
  return wait;
}

}  // namespace wsd::webhook
