// Checks Options before a client starts: a bad configuration fails at connect() with a
// message that says what to change. Pure; any thread.
#pragma once

#include "wsclient/types.h"

namespace wsclient::detail {

Status checkOptions(const Options& options);

}  // namespace wsclient::detail
