// `wsd all`: every role in one process (gateway thread + backend thread), the state in
// memory, on the embedded segment-file log in the data dir, or on a Kafka topic when
// --kafka-brokers is given.
#pragma once

#include "app/config.h"

namespace wsd {

// Runs until SIGINT or SIGTERM; returns the process exit code.
int runNode(const Config& config);

}  // namespace wsd
