#include "gateway/sessions/output_budget.h"

#include <malloc.h>

#include <algorithm>
#include <vector>

#include "gateway/sessions/session_registry.h"

namespace wsd {

void OutputBudget::configure(Limits limits, EndSession end, Spill spill) {
  limits_ = limits;
  end_ = std::move(end);
  spill_ = std::move(spill);
}

void OutputBudget::enforce() {
  if (end_ && limits_.perProcess > 0 && held_ > limits_.perProcess) relieveProcess();
}

std::optional<OutputBudget::Over> OutputBudget::overSessionBudget(std::size_t messages, std::size_t bytes) const {
  if (limits_.messagesPerSession > 0 && messages > limits_.messagesPerSession) return Over::kSessionMessages;
  if (limits_.perSession > 0 && bytes > limits_.perSession) return Over::kSession;
  return std::nullopt;
}

void OutputBudget::check(Session& session) {
  if (!end_ || session.spilling() || session.ended) return;
  if (auto over = overSessionBudget(session.heldMessages(), session.heldBytes())) end_(session, *over);
}

void OutputBudget::trimIfDrained() {
  if (peak_ < held_ + kTrimAfterBytes || held_ > peak_ / 4) return;
  malloc_trim(0);
  peak_ = held_;
}

void OutputBudget::relieveProcess() {
  std::vector<Session*> holders;
  sessions_.forEach([&holders](Session& s) {
    if (s.heldBytes() > 0 && !s.spilling()) holders.push_back(&s);  // an ended one holds only its last words
  });
  std::sort(holders.begin(), holders.end(),
            [](const Session* a, const Session* b) { return a->heldBytes() > b->heldBytes(); });
  for (Session* s : holders) {
    if (held_ <= limits_.perProcess) break;
    end_(*s, Over::kProcess);
  }
}

}  // namespace wsd
