#include "gateway/metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace wsd::metrics {
namespace {

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::kCounter: return "counter";
    case Kind::kGauge: return "gauge";
    case Kind::kHistogram: return "histogram";
  }
  return "untyped";
}

// HELP text escapes only `\` and newlines (label values also escape `"`).
std::string escapeHelp(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

void renderSample(std::string& out, const std::string& name, const Sample& sample) {
  out += name;
  out += sample.suffix;
  if (!sample.labels.empty()) {
    out += '{';
    for (std::size_t i = 0; i < sample.labels.size(); ++i) {
      if (i > 0) out += ',';
      out += sample.labels[i].first;
      out += "=\"";
      out += escapeLabelValue(sample.labels[i].second);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += formatValue(sample.value);
  out += '\n';
}

}  // namespace

std::string formatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    return buffer;
  }
  // The shortest form that reads back as the same double (0.0001, not 0.00010000000000000001).
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

std::string escapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string render(const std::vector<Family>& families) {
  std::string out;
  for (const auto& family : families) {
    out += "# HELP " + family.name + " " + escapeHelp(family.help) + "\n";
    out += "# TYPE " + family.name + " " + kindName(family.kind) + "\n";
    for (const auto& sample : family.samples) renderSample(out, family.name, sample);
  }
  return out;
}

// ---- LabeledCounter ---------------------------------------------------------------------

void LabeledCounter::add(std::string_view labelValue, std::uint64_t n) {
  auto it = counts_.find(labelValue);
  if (it == counts_.end()) it = counts_.emplace(std::string(labelValue), 0).first;
  it->second += n;
}

std::uint64_t LabeledCounter::get(std::string_view labelValue) const {
  auto it = counts_.find(labelValue);
  return it == counts_.end() ? 0 : it->second;
}

Family LabeledCounter::family(std::string name, std::string help, const std::string& label,
                              const std::vector<std::string>& always) const {
  std::map<std::string, std::uint64_t, std::less<>> shown(counts_);
  for (const auto& value : always) shown.emplace(value, 0);
  Family family{std::move(name), std::move(help), Kind::kCounter, {}};
  for (const auto& [value, count] : shown) {
    family.samples.push_back({"", {{label, value}}, static_cast<double>(count)});
  }
  return family;
}

// ---- IndexedCounter ---------------------------------------------------------------------

IndexedCounter::IndexedCounter(std::vector<Labels> series, bool showZeros)
    : series_(std::move(series)), counts_(series_.size(), 0), showZeros_(showZeros) {}

Family IndexedCounter::family(std::string name, std::string help) const {
  Family family{std::move(name), std::move(help), Kind::kCounter, {}};
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] > 0 || showZeros_) family.samples.push_back({"", series_[i], static_cast<double>(counts_[i])});
  }
  return family;
}

std::vector<Labels> seriesOf(const std::string& label, const std::vector<std::string_view>& values) {
  std::vector<Labels> series;
  series.reserve(values.size());
  for (auto value : values) series.push_back({{label, std::string(value)}});
  return series;
}

// ---- Histogram ------------------------------------------------------------------------

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

// O(log buckets).
void Histogram::observe(double value) {
  const auto index =
      static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Family Histogram::family(std::string name, std::string help) const {
  Family family{std::move(name), std::move(help), Kind::kHistogram, {}};
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    const std::string le = i < bounds_.size() ? formatValue(bounds_[i]) : "+Inf";
    family.samples.push_back({"_bucket", {{"le", le}}, static_cast<double>(cumulative)});
  }
  family.samples.push_back({"_sum", {}, sum()});
  // _count equals the +Inf bucket: both from the same loads, so a scrape is consistent.
  family.samples.push_back({"_count", {}, static_cast<double>(cumulative)});
  return family;
}

}  // namespace wsd::metrics
