// A progress line on stderr ("export: 120000/500000 events, 24%"), redrawn at most ten
// times a second, only when stderr is a terminal: piped or redirected runs (scripts,
// CI) stay quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace wsd::wslog {

class Progress {
 public:
  // `total` 0: unknown.
  Progress(std::string label, std::uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void step();  // one more record read
  void finish();

 private:
  void draw();

  std::string label_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point lastDraw_{};
};

// "37%" of `total`, or just the count when the total is unknown.
std::string progressText(const std::string& label, std::uint64_t done, std::uint64_t total);

}  // namespace wsd::wslog
