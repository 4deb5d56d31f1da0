// Fuzzes the embedded log's reading of a segment file (log/segment_log.h) through its
// public API only: the input becomes the one segment of a fresh directory, opened
// read_only and replayed, then opened for writing (recovery) and replayed again.
// Whatever the bytes: opened read_only, the log reads around damage and replays exactly
// an intact prefix of the file (u32 length | u32 crc32 | payload); opened for writing, it
// either keeps that prefix (cutting only a torn tail) or refuses with log_damaged and
// leaves the file as it was (invariant 2).
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log/segment_log.h"

namespace {

namespace fs = std::filesystem;

std::string recordBytes(std::string_view payload) {
  std::string out;
  auto putU32 = [&out](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  putU32(static_cast<std::uint32_t>(payload.size()));
  putU32(static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(payload.data()), static_cast<uInt>(payload.size()))));
  out.append(payload);
  return out;
}

std::string fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Opens the directory and returns every record replayed from offset 0, or nullopt when a
// writable open refused damage; aborts when the log's own count disagrees with what it
// replayed, or when it fails otherwise.
std::optional<std::vector<std::string>> readAll(const fs::path& dir, bool readOnly) {
  auto log =
      wsd::log::SegmentLog::open({.directory = dir.string(), .max_record_bytes = 1u << 20, .read_only = readOnly});
  if (!log.ok()) {
    if (!readOnly && log.error().code == "log_damaged") return std::nullopt;
    std::abort();  // read_only reads around damage: it never fails to open
  }
  std::vector<std::string> records;
  auto status = (*log)->replay(0, [&records](wsd::log::Offset offset, std::string_view payload) {
    if (offset != records.size()) std::abort();
    records.emplace_back(payload);
  });
  if (!status.ok() || (*log)->nextOffset() != records.size()) std::abort();
  return records;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path root = [] {
    std::string pattern = (fs::temp_directory_path() / "wsd-segment-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    return fs::path(pattern);
  }();
  const fs::path dir = root / "log";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "00000000000000000000.log", std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto records = readAll(dir, true);
  std::string prefix;
  for (const auto& record : *records) prefix += recordBytes(record);
  if (input.substr(0, prefix.size()) != prefix) std::abort();

  const auto recovered = readAll(dir, false);
  if (!recovered) {
    if (fileBytes(dir / "00000000000000000000.log") != input) std::abort();  // refused: nothing changed
  } else if (*recovered != *records) {
    std::abort();  // recovery keeps the intact prefix, whatever it cuts
  }
  return 0;
}
