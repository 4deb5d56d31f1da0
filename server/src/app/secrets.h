// Secrets and names that must survive restarts without being configured: the admin
// token and the node id, generated once and kept in the data directory.
#pragma once

#include <string>

#include "core/result.h"

namespace wsd {

// Returns the content of DIR/NAME, creating it with `generate()` (mode 0600) if missing;
// `created` (when given) says whether it was made now.
Result<std::string> loadOrCreate(const std::string& dir, const std::string& name, std::string (*generate)(),
                                 bool* created = nullptr);

}  // namespace wsd
