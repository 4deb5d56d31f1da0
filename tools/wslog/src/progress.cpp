// The terminal progress line (see the header).
#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace wsd::wslog {

std::string progressText(const std::string& label, std::uint64_t done, std::uint64_t total) {
  std::string out = label + ": " + std::to_string(done);
  if (total == 0) return out + " events";
  const auto percent = done >= total ? 100 : done * 100 / total;
  return out + "/" + std::to_string(total) + " events, " + std::to_string(percent) + "%";
}

Progress::Progress(std::string label, std::uint64_t total)
    : label_(std::move(label)), total_(total), enabled_(::isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() { finish(); }

void Progress::step() {
  ++done_;
  if (!enabled_ || (done_ & 1023) != 0) return;  // look at the clock every 1024 records only
  const auto now = std::chrono::steady_clock::now();
  if (now - lastDraw_ < std::chrono::milliseconds(100)) return;
  lastDraw_ = now;
  draw();
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  draw();
  std::fputs("\n", stderr);
  drawn_ = false;
  enabled_ = false;
}

void Progress::draw() {
  std::fprintf(stderr, "\r%s\033[K", progressText(label_, done_, total_).c_str());
  drawn_ = true;
}

}  // namespace wsd::wslog
