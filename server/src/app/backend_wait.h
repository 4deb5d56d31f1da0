// Before a role starts: it waits for the backends it needs (the Kafka cluster, Redis)
// instead of failing at once or hanging unseen. While one does not answer, the role logs
// a warning with the reason every few seconds and, if it serves HTTP, answers /readyz with
// 503 naming that backend (/healthz with 200) on its listen address; after --backend-wait
// it gives up so that a supervisor restarts it.
#pragma once

#include "app/config.h"

namespace wsd {

// True once every backend the role needs answers (at once, usually). False when
// --backend-wait passed first (or a backend is misconfigured): the reason is logged and
// the caller exits 1. With --listen port 0 it sets config.listenPort to the port it
// answered /readyz on, so the gateway listens where the operator already looks.
// Runs on the main thread, before any other starts.
bool waitForBackends(Config& config);

}  // namespace wsd
