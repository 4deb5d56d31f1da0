// Running a process: `wsd all` is every role in one process (gateway thread + backend
// thread), on the embedded segment-file log in the data dir, or on a Kafka topic when
// --kafka-brokers is given, projecting into Redis when --redis is; `wsd serve` is the
// gateway alone; `wsd project` the projector alone; `wsd mail` the mailer alone; `wsd hooks`
// the webhook dispatcher alone.
#pragma once

#include "app/config.h"

namespace wsd {

// `wsd all` and `wsd serve`. Runs until SIGINT or SIGTERM; returns the exit code.
int runNode(const Config& config);
// `wsd project`: the projector alone (see projector_role.h).
int runProjector(const Config& config);
// `wsd mail`: the mailer alone, on the Kafka log (see mail/mailer.h).
int runMailer(const Config& config);
// `wsd hooks`: the webhook dispatcher alone, on the Kafka log (see webhook/dispatcher.h).
int runHooks(const Config& config);

}  // namespace wsd
