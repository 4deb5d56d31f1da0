// Comparing secrets (client tokens, server secrets, the admin token, signatures) in
// constant time: the time an answer takes must not tell a guesser how much of a guess
// was right. Every comparison of a secret in wsd goes through here. Threads: any.
#pragma once

#include <string_view>

namespace wsd {

// Whether `a` and `b` are equal. The time taken depends only on their lengths, never on
// where they first differ (a length mismatch answers at once: lengths are not secret).
bool equalInConstantTime(std::string_view a, std::string_view b);

}  // namespace wsd
