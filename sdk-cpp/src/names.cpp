// The names of the public enumerations (types.h), for logs and examples.
#include "wsclient/types.h"

namespace wsclient {

const char* toString(TransportKind kind) {
  switch (kind) {
    case TransportKind::kWebSocket: return "ws";
    case TransportKind::kSse: return "sse";
    case TransportKind::kPoll: return "poll";
  }
  return "?";
}

const char* toString(State state) {
  switch (state) {
    case State::kIdle: return "idle";
    case State::kConnecting: return "connecting";
    case State::kConnected: return "connected";
    case State::kReconnecting: return "reconnecting";
    case State::kClosing: return "closing";
    case State::kClosed: return "closed";
  }
  return "?";
}

const char* toString(SendStatus status) {
  switch (status) {
    case SendStatus::kAccepted: return "accepted";
    case SendStatus::kQueueFull: return "queue_full";
    case SendStatus::kInvalidArgument: return "invalid_argument";
    case SendStatus::kTooBig: return "too_big";
    case SendStatus::kClosed: return "closed";
  }
  return "?";
}

const char* toString(RoomRecoveryReason reason) {
  switch (reason) {
    case RoomRecoveryReason::kNone: return "";
    case RoomRecoveryReason::kHistoryTrimmed: return "history_trimmed";
    case RoomRecoveryReason::kEpochChanged: return "epoch_changed";
    case RoomRecoveryReason::kUnknownOffset: return "unknown_offset";
  }
  return "?";
}

}  // namespace wsclient
