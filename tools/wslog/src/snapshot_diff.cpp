// Comparing two snapshots of the projections (see the header).
#include "snapshot_diff.h"

#include <algorithm>

namespace wsd::wslog {
namespace {

using Kind = Difference::Kind;

std::string whole(const KeyState& state) { return valueText(state); }

void diffHash(const std::string& key, const KeyState& e, const KeyState& a, std::vector<Difference>& out) {
  for (const auto& [field, value] : e.hash) {
    auto it = a.hash.find(field);
    if (it == a.hash.end())
      out.push_back({Kind::kMissing, key, field, value, ""});
    else if (it->second != value)
      out.push_back({Kind::kChanged, key, field, value, it->second});
  }
  for (const auto& [field, value] : a.hash) {
    if (!e.hash.contains(field)) out.push_back({Kind::kUnexpected, key, field, "", value});
  }
}

void diffSet(const std::string& key, const KeyState& e, const KeyState& a, std::vector<Difference>& out) {
  std::vector<std::string> missing, unexpected;
  std::set_difference(e.items.begin(), e.items.end(), a.items.begin(), a.items.end(), std::back_inserter(missing));
  std::set_difference(a.items.begin(), a.items.end(), e.items.begin(), e.items.end(), std::back_inserter(unexpected));
  for (const auto& m : missing) out.push_back({Kind::kMissing, key, m, m, ""});
  for (const auto& m : unexpected) out.push_back({Kind::kUnexpected, key, m, "", m});
}

void diffList(const std::string& key, const KeyState& e, const KeyState& a, std::vector<Difference>& out) {
  const std::size_t n = std::max(e.items.size(), a.items.size());
  for (std::size_t i = 0; i < n; ++i) {
    const bool inE = i < e.items.size();
    const bool inA = i < a.items.size();
    if (inE && inA && e.items[i] == a.items[i]) continue;
    const Kind kind = !inA ? Kind::kMissing : !inE ? Kind::kUnexpected : Kind::kChanged;
    out.push_back({kind, key, "[" + std::to_string(i) + "]", inE ? e.items[i] : "", inA ? a.items[i] : ""});
  }
}

void diffKey(const std::string& key, const KeyState& e, const KeyState& a, std::vector<Difference>& out) {
  if (e.type != a.type) {
    out.push_back({Kind::kChanged, key, "", whole(e), whole(a)});
    return;
  }
  if (e.type == "hash")
    diffHash(key, e, a, out);
  else if (e.type == "set")
    diffSet(key, e, a, out);
  else
    diffList(key, e, a, out);
  if (e.expiresAt != a.expiresAt) {
    out.push_back({Kind::kChanged, key, "(expiry)", std::to_string(e.expiresAt), std::to_string(a.expiresAt)});
  }
}

}  // namespace

std::vector<Difference> diffSnapshots(const Snapshot& expected, const Snapshot& actual) {
  std::vector<Difference> out;
  for (const auto& [key, e] : expected) {
    auto it = actual.find(key);
    if (it == actual.end())
      out.push_back({Kind::kMissing, key, "", whole(e), ""});
    else if (!(it->second == e))
      diffKey(key, e, it->second, out);
  }
  for (const auto& [key, a] : actual) {
    if (!expected.contains(key)) out.push_back({Kind::kUnexpected, key, "", "", whole(a)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Difference& x, const Difference& y) { return x.key < y.key; });
  return out;
}

void dropExpired(Snapshot& expected, std::int64_t nowMs) {
  std::erase_if(expected,
                [&](const auto& entry) { return entry.second.expiresAt >= 0 && entry.second.expiresAt <= nowMs; });
}

std::string renderDifferences(const std::vector<Difference>& differences, const std::string& live) {
  std::string out;
  for (const auto& d : differences) {
    const std::string where = d.key + (d.member.empty() ? "" : " " + d.member);
    switch (d.kind) {
      case Kind::kMissing:
        out += "- " + where + ": in the replay, missing from " + live + ": " + d.expected + "\n";
        break;
      case Kind::kUnexpected: out += "+ " + where + ": in " + live + ", not in the replay: " + d.actual + "\n"; break;
      case Kind::kChanged:
        out += "~ " + where + ": replay has " + d.expected + "\n  " + std::string(where.size(), ' ') + "  " + live +
               " has  " + d.actual + "\n";
        break;
    }
  }
  return out;
}

}  // namespace wsd::wslog
