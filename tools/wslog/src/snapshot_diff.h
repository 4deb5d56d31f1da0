// wslog verify's judgement: how a live Redis (`actual`) differs from a fresh replay of
// the log (`expected`), key by key and, inside a hash or set, field by field. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/projection_snapshot.h"

namespace wsd::wslog {

// The canonical form is wsd's own (a live wsd serves it too), so both sides of a
// comparison are built by one piece of code.
using store::KeyState;
using store::Snapshot;

struct Difference {
  enum class Kind {
    kMissing,     // the replay has it, Redis does not
    kUnexpected,  // Redis has it, the replay does not
    kChanged,     // both have it, with different values
  };
  Kind kind = Kind::kChanged;
  std::string key;
  std::string member;    // the hash field, set member or list index; empty: the whole key
  std::string expected;  // the replay's value ("" when missing from it)
  std::string actual;    // Redis's value ("" when missing from it)
};

std::vector<Difference> diffSnapshots(const Snapshot& expected, const Snapshot& actual);

// Drops from `expected` the keys whose expiry is at or before `nowMs`: Redis has already
// expired them on its own clock, which the replay (driven by event times) does not see.
void dropExpired(Snapshot& expected, std::int64_t nowMs);

// "- wsd:online:{demo} ghost: ..." lines, one per difference; `live` names the side that
// is checked ("Redis", or the wsd whose own state it is).
std::string renderDifferences(const std::vector<Difference>& differences, const std::string& live = "Redis");

}  // namespace wsd::wslog
