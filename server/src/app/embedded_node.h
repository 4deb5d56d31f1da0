// `wsd all` on the embedded backends: the segment-file log in the data dir, the state in
// memory, every role in one process (gateway thread + backend thread).
#pragma once

#include "app/config.h"

namespace wsd {

// Runs until SIGINT or SIGTERM; returns the process exit code.
int runEmbeddedNode(const Config& config);

}  // namespace wsd
