#include "gateway/session.h"

#include "gateway/output_budget.h"

namespace wsd {

Session::~Session() {
  if (output_ != nullptr) output_->remove(heldBytes_);
}

void Session::send(server_message::Text message) {
  const std::string_view type = serverMessageType(*message);
  if (sentCounter_ != nullptr) sentCounter_->add(type);
  if (type == "connected" && !identity_.secret.empty()) message = server_message::connected(conn(), identity_.secret);
  if (spilling_ && type == "direct" && output_ != nullptr) return output_->spill(*this, *message);
  enqueue(std::move(message));
  if (output_ != nullptr) output_->enforce();
}

void Session::holdMessage(std::size_t bytes) {
  ++heldMessages_;
  heldBytes_ += bytes;
  if (output_ != nullptr) output_->add(bytes);
}

void Session::releaseMessage(std::size_t bytes) {
  --heldMessages_;
  heldBytes_ -= bytes;
  if (output_ != nullptr) output_->remove(bytes);
}

}  // namespace wsd
