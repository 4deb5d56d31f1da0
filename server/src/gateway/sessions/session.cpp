#include "gateway/sessions/session.h"

#include "gateway/sessions/output_budget.h"
#include "gateway/sessions/session_list.h"

namespace wsd {

Session::~Session() {
  if (output_ != nullptr) output_->remove(heldBytes_);
}

void Session::send(server_message::Text message, std::size_t typeIndex) {
  if (sentCounter_ != nullptr) sentCounter_->add(typeIndex);
  const std::string_view type = typeIndex == kOtherServerType ? "other" : kServerMessageTypes[typeIndex];
  if (type == "connected" && !identity_.secret.empty()) message = server_message::connected(conn(), identity_.secret);
  // Ended over its budget: its client gets only the news of its end (`closed`); direct
  // messages are kept for its uid, the rest is what it would have missed anyway.
  if (spilling_ && type != "closed") {
    if (type == "direct" && output_ != nullptr && !uid.empty()) output_->spill(project(), conn(), *message);
    return;
  }
  enqueue(std::move(message));
  if (output_ != nullptr) output_->enforce();
}

void Session::holdMessage(std::size_t bytes) {
  if (heldMessages_++ == 0) needTicks();  // its budget is checked at the tick
  heldBytes_ += bytes;
  if (output_ != nullptr) output_->add(bytes);
}

void Session::needTicks() {
  if (ticking_ != nullptr) ticking_->insert(*this);
}

void Session::releaseMessage(std::size_t bytes) {
  --heldMessages_;
  heldBytes_ -= bytes;
  if (output_ != nullptr) output_->remove(bytes);
}

}  // namespace wsd
