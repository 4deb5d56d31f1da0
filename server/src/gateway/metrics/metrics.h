// Prometheus metrics, the building blocks: a counter per label value, an atomic
// counter, a histogram with fixed buckets, and rendering in the text exposition format
// 0.0.4 (what GET /metrics answers). The metrics wsd keeps are in gateway_metrics.h.
//
// Threads: a LabeledCounter belongs to one thread (the gateway's; no locks). AtomicCounter
// and Histogram may be updated from any thread (the backend thread times log appends);
// reading them while they change gives a value that was true a moment ago, no more.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsd::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class Kind { kCounter, kGauge, kHistogram };

struct Sample {
  std::string suffix;  // appended to the family's name: "", "_bucket", "_sum" or "_count"
  Labels labels;
  double value = 0;
};

// One metric as a scrape sees it: its name, help text, type and samples.
struct Family {
  std::string name;
  std::string help;
  Kind kind = Kind::kGauge;
  std::vector<Sample> samples;
};

// The text exposition format 0.0.4: `# HELP`, `# TYPE`, then one line per sample.
// O(samples).
std::string render(const std::vector<Family>& families);
// A sample value as the format writes it: integers without exponent, +Inf, -Inf, NaN.
std::string formatValue(double value);
// A label value with `\`, `"` and newlines escaped.
std::string escapeLabelValue(std::string_view value);
// The Content-Type of render()'s output.
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

// A counter per value of one label (message types, transports, outcomes: bounded sets
// chosen by the code, never by a client). Zero for values never counted. One thread.
class LabeledCounter {
 public:
  void add(std::string_view labelValue, std::uint64_t n = 1);
  std::uint64_t get(std::string_view labelValue) const;
  // `always`: label values shown even at zero, so a dashboard sees them from the start.
  Family family(std::string name, std::string help, const std::string& label,
                const std::vector<std::string>& always = {}) const;

 private:
  std::map<std::string, std::uint64_t, std::less<>> counts_;
};

// A counter per series of a fixed list, counted by the series' index: what the per-message
// paths use, so counting costs an array increment, never a lookup by name. One thread.
class IndexedCounter {
 public:
  // `showZeros` false: only the series that moved are shown (for long lists of series,
  // such as the products of two labels).
  explicit IndexedCounter(std::vector<Labels> series, bool showZeros = true);
  void add(std::size_t index, std::uint64_t n = 1) {
    assert(index < counts_.size());
    counts_[index] += n;
  }
  std::uint64_t get(std::size_t index) const { return counts_.at(index); }
  std::size_t size() const { return counts_.size(); }
  Family family(std::string name, std::string help) const;

 private:
  std::vector<Labels> series_;
  std::vector<std::uint64_t> counts_;
  bool showZeros_;
};

// One series per value of `label`, in the order given.
std::vector<Labels> seriesOf(const std::string& label, const std::vector<std::string_view>& values);

// A counter any thread may increment.
class AtomicCounter {
 public:
  void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t get() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A histogram with fixed upper bounds (ascending); observe() from any thread.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }
  // Cumulative buckets (`le`), then _sum and _count, as the format wants them.
  Family family(std::string name, std::string help) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bound, not cumulative; last: +Inf
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

}  // namespace wsd::metrics
