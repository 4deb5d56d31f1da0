#include "gateway/net/held_output.h"

namespace wsd {
namespace {

// A reason bit of wsd's own, so this never undoes the plain on/off that other code sets.
constexpr int kHeldOutputReason = 1 << 1;

}  // namespace

void readOnlyWithoutHeldOutput(lws* wsi) {
  const bool held = lws_partial_buffered(wsi) != 0;
  const int change = held ? LWS_RXFLOW_REASON_APPLIES_DISABLE : LWS_RXFLOW_REASON_APPLIES_ENABLE;
  lws_rx_flow_control(wsi, change | kHeldOutputReason);  // a no-op when nothing changes
}

}  // namespace wsd
