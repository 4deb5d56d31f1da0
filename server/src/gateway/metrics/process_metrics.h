// The standard process_* metrics (client_golang's names and meanings: CPU time, resident
// and virtual memory, open and allowed file descriptors, start time), read from
// /proc/self at scrape time. Linux only.
//
// Threads: any; it reads files and holds no state. Cost: four small file reads and a
// walk of /proc/self/fd (O(open descriptors)) per scrape.
#pragma once

#include <vector>

#include "core/result.h"
#include "gateway/metrics/metrics.h"

namespace wsd {

// Errors: proc_unreadable, naming the file that could not be read or understood.
Result<std::vector<metrics::Family>> processFamilies();

}  // namespace wsd
